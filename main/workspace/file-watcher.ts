import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync } from 'node:fs';

export interface WatchHandle {
  close(): void;
}

/**
 * Calls `onChange` (at most once per `settleMs`) when one of `names` in `dir` changes: an editor saving the file,
 * a sync tool replacing it. The folder is watched rather than the file, because a save by rename replaces the file
 * and a watch on the old one would go quiet. Studio's own writes come through too; the caller tells them apart
 * (the store knows what it wrote).
 */
export function watchFiles(dir: string, names: readonly string[], onChange: () => void, settleMs = 150, onError?: (error: Error) => void): WatchHandle {
  mkdirSync(dir, { recursive: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  const fire = () => {
    timer = undefined;
    onChange();
  };
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name !== null && !names.includes(String(name))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, settleMs);
    });
    watcher.on('error', (error) => onError?.(error));
  } catch (error) {
    onError?.(error as Error);
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
