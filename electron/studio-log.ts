import { app } from 'electron';
import { renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';

export interface StudioLog {
  logger: Logger;
  /** Where the packaged app writes; undefined in development (the terminal of `npm start`). */
  file?: string;
}

/** Past this size the log starts afresh at the next start, keeping the previous one as studio.old.log. */
export const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

/**
 * The packaged app logs to `studio.log` in the app's log folder: an app started from Explorer, Finder or a
 * launcher has no usable stdout (on Windows a write there fails with EBADF, which Electron turns into a modal error
 * dialog). In development the log goes to the terminal as before.
 */
export function openStudioLog(packaged: boolean): StudioLog {
  if (!packaged) return { logger: pino({ name: 'studio' }) };
  // Without a path: ~/Library/Logs/<productName> on macOS, `logs` inside userData on Windows and Linux.
  app.setAppLogsPath();
  const file = join(app.getPath('logs'), 'studio.log');
  rotate(file);
  // Synchronous writes: the last lines before a crash are the ones that matter.
  const logger = pino({ name: 'studio' }, pino.destination({ dest: file, mkdir: true, sync: true }));
  return { logger, file };
}

function rotate(file: string): void {
  try {
    if (statSync(file).size > LOG_ROTATE_BYTES) renameSync(file, file.replace(/\.log$/, '.old.log'));
  } catch {
    // No log yet (first start), or it cannot be moved: pino appends to it.
  }
}
