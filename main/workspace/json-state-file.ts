import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { writeFileAtomic } from '../../node-lib/atomic-write.js';

export interface JsonStateFileOptions<S extends z.ZodTypeAny> {
  path: string;
  schema: S;
  /** What the file holds when there is none yet (or it could not be read). */
  empty: () => z.infer<S>;
  logger?: Logger;
  now?: () => number;
  /** How a file is replaced; atomic (temp file, flush, rename) unless a test needs to watch it happen. */
  writeFile?: (path: string, data: string) => Promise<void>;
}

/**
 * One JSON file of workspace state (the learned mirror, the outbox of edits made offline), validated when read and
 * written atomically, one write at a time, so a crash leaves the old state or the new one. A file that cannot be read
 * is copied aside (`<file>.broken-<time>`) before Studio writes over it: what it held is never silently lost.
 */
export class JsonStateFile<S extends z.ZodTypeAny> {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly writeFile: (path: string, data: string) => Promise<void>;
  private readonly now: () => number;
  /** Where an unreadable file was copied, when one was. */
  brokenCopy: string | undefined;

  constructor(private readonly o: JsonStateFileOptions<S>) {
    this.writeFile = o.writeFile ?? writeFileAtomic;
    this.now = o.now ?? Date.now;
  }

  async read(): Promise<z.infer<S>> {
    let text: string;
    try {
      text = await readFile(this.o.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.o.empty();
      throw error;
    }
    let parsed: ReturnType<S['safeParse']> | undefined;
    try {
      parsed = this.o.schema.safeParse(JSON.parse(text)) as ReturnType<S['safeParse']>;
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) return parsed.data as z.infer<S>;
    const aside = `${this.o.path}.broken-${this.now()}`;
    await copyFile(this.o.path, aside);
    this.brokenCopy = aside;
    this.o.logger?.warn({ file: this.o.path, keptAt: aside }, 'a workspace state file could not be read: a copy was kept and Studio starts it afresh');
    return this.o.empty();
  }

  /** Writes `value`; writes run in the order they were asked for. */
  write(value: z.infer<S>): Promise<void> {
    return this.writeText(JSON.stringify(value) + '\n');
  }

  /** Writes JSON text the caller built (from cached parts); it is read back with the same schema. */
  writeText(text: string): Promise<void> {
    const p = this.queue.then(async () => {
      await mkdir(dirname(this.o.path), { recursive: true });
      await this.writeFile(this.o.path, text);
    });
    this.queue = p.catch(() => undefined);
    return p;
  }
}
