import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ViewMemory, type ViewMemoryPatch } from '../../protocol/studio-api.js';
import { writeFileAtomic } from '../../node-lib/atomic-write.js';

/** Drafts and scroll positions kept at most; the ones touched longest ago are forgotten first. */
const MAX_ENTRIES = 500;

/** When this Studio last told a Platform that its designer was active: a restarted Studio counts the lease from it. */
const ActivityReport = z.object({ platformUrl: z.string(), at: z.number() });

const MemoryFile = z.object({
  version: z.literal(1),
  memory: ViewMemory,
  lastActivityReport: ActivityReport.optional(),
});
type MemoryFile = z.infer<typeof MemoryFile>;

/**
 * What Studio remembers of how the designer left it, in `studio-memory.json` next to the settings (the settings file
 * holds the Platform token and is rewritten as a whole; drafts change as the designer types, so they live apart).
 * Every change is written atomically before the call resolves, so a crash loses at most the draft keystrokes the
 * renderer had not sent yet. An unreadable file only means Studio opens fresh; it is never a reason not to start.
 */
export class ViewMemoryStore {
  private data: MemoryFile = { version: 1, memory: { drafts: {}, scroll: {} } };
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {
    try {
      const parsed = MemoryFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) this.data = parsed.data;
    } catch {
      // No file yet, or an unreadable one: start afresh.
    }
  }

  get(): ViewMemory {
    const m = this.data.memory;
    return { ...m, drafts: { ...m.drafts }, scroll: { ...m.scroll } };
  }

  update(patch: ViewMemoryPatch): Promise<void> {
    const m = this.data.memory;
    if (patch.view !== undefined) m.view = patch.view;
    if (patch.conversationId === null) delete m.conversationId;
    else if (patch.conversationId !== undefined) m.conversationId = patch.conversationId;
    if (patch.draft) m.drafts = remember(m.drafts, patch.draft.conversationId, patch.draft.text.trim() === '' ? undefined : patch.draft.text);
    if (patch.scroll) m.scroll = remember(m.scroll, patch.scroll.conversationId, patch.scroll.fromBottom > 0 ? Math.round(patch.scroll.fromBottom) : undefined);
    return this.save();
  }

  lastActivityReport(platformUrl: string): number | undefined {
    const r = this.data.lastActivityReport;
    return r?.platformUrl === platformUrl ? r.at : undefined;
  }

  recordActivityReport(platformUrl: string, at: number): Promise<void> {
    this.data.lastActivityReport = { platformUrl, at };
    return this.save();
  }

  /** Resolves when everything asked so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  private save(): Promise<void> {
    const text = JSON.stringify(this.data);
    // Writes go out in order; a failed one is reported to its caller and does not stop the next.
    const write = this.writing.catch(() => undefined).then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, text, { mode: 0o600 });
    });
    this.writing = write.catch(() => undefined);
    return write;
  }
}

/** Sets or (with `undefined`) removes one entry, moving it to the end: insertion order is "touched longest ago" first. */
function remember<T>(record: Record<string, T>, key: string, value: T | undefined): Record<string, T> {
  const next = { ...record };
  delete next[key];
  if (value !== undefined) next[key] = value;
  const keys = Object.keys(next);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete next[k];
  return next;
}
