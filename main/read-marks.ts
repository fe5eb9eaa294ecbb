import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Clock, TimerHandle } from '../protocol/clock.js';
import { writeFileAtomic } from '../node-lib/atomic-write.js';

/** How far the designer has read each conversation: survives a restart so unread counts stay true. */
export interface ReadMarks {
  get(conversationId: string): number | undefined;
  set(conversationId: string, seq: number): void;
  flush(): Promise<void>;
}

const File = z.object({ version: z.literal(1), marks: z.record(z.string(), z.number().int().nonnegative()) });

/** Conversations remembered at most; the ones read longest ago are forgotten first. */
const MAX_MARKS = 50_000;

/**
 * Read marks in a small JSON file (one per Platform and designer), written atomically a moment after the last
 * change rather than on every message read. An unreadable file only means unread counts start afresh.
 */
export class FileReadMarks implements ReadMarks {
  private readonly marks = new Map<string, number>();
  private timer: TimerHandle | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
    private readonly delayMs = 1_000,
  ) {
    try {
      const parsed = File.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) for (const [id, seq] of Object.entries(parsed.data.marks)) this.marks.set(id, seq);
    } catch {
      // No file yet, or an unreadable one: start afresh.
    }
  }

  get(conversationId: string): number | undefined {
    return this.marks.get(conversationId);
  }

  set(conversationId: string, seq: number): void {
    if ((this.marks.get(conversationId) ?? -1) >= seq) return;
    // Re-inserting moves it to the end: the Map's order is "read longest ago" first.
    this.marks.delete(conversationId);
    this.marks.set(conversationId, seq);
    while (this.marks.size > MAX_MARKS) this.marks.delete(this.marks.keys().next().value!);
    if (!this.timer) this.timer = this.clock.setTimeout(() => void this.flush(), this.delayMs);
  }

  flush(): Promise<void> {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const text = JSON.stringify({ version: 1, marks: Object.fromEntries(this.marks) });
    this.writing = this.writing
      .then(async () => {
        await mkdir(dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, text);
      })
      .catch(() => undefined); // a failed write costs only unread accuracy after a restart
    return this.writing;
  }
}

/** Read marks kept in memory only (tests, or when no folder is given). */
export class MemoryReadMarks implements ReadMarks {
  private readonly marks = new Map<string, number>();
  get(conversationId: string): number | undefined {
    return this.marks.get(conversationId);
  }
  set(conversationId: string, seq: number): void {
    this.marks.set(conversationId, Math.max(seq, this.marks.get(conversationId) ?? 0));
  }
  async flush(): Promise<void> {}
}
