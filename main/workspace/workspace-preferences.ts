import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../node-lib/atomic-write.js';

const Preferences = z.object({
  /** Publish after each capture. */
  autoPublish: z.boolean().default(false),
  lastPublishedAt: z.number().optional(),
});
export type WorkspacePreferences = z.infer<typeof Preferences>;

/** A bot's workspace preferences; defaults when the file is missing or unreadable (it is only preferences). */
export async function readPreferences(file: string): Promise<WorkspacePreferences> {
  try {
    const parsed = Preferences.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // defaults below
  }
  return Preferences.parse({});
}

export async function writePreferences(file: string, prefs: WorkspacePreferences): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(prefs, null, 2) + '\n');
}
