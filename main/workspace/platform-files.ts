import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { readBotDirectory, type BotFiles } from '../../aiml/index.js';
import { isAppErrorOf, PlatformApiErrorCode } from '../../protocol/errors.js';
import { writeFileAtomic } from '../../node-lib/atomic-write.js';
import type { FileKind, PandorabotsClient } from './pandorabots-client.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

/** Remembered beside the pulled files: when, and which. */
const PULL_RECORD = '.pulled.json';
const PullRecord = z.object({ pulledAt: z.number(), files: z.array(z.string()), platformUrl: z.string().optional() });
export type PullRecord = z.infer<typeof PullRecord>;

/** A file name the Platform may list: what Pandorabots allows (anything else is skipped, never written). */
const SAFE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

interface Wanted {
  kind: FileKind;
  name?: string;
  /** Where it goes in the Pandorabots layout the engine's loader reads. */
  path: string;
}

/**
 * Mirrors a bot's files from the Platform (through its Pandorabots API) into `dir`, in the Pandorabots layout:
 * aiml/, sets/, maps/, substitutions/, system/. The learned file itself is not pulled (the workspace is where it is
 * made). Files the Platform no longer has are removed. Names the Platform lists are checked before anything is
 * written, so a hostile listing cannot write outside `dir`.
 */
export async function pullPlatformFiles(client: PandorabotsClient, bot: string, dir: string, now: number, platformUrl?: string): Promise<PullRecord> {
  const listing = await client.listFiles(bot);
  const wanted: Wanted[] = [];
  const named = (kind: FileKind, folder: string, ext: string, names: { name: string }[]) => {
    for (const { name } of names) {
      const base = kind === 'file' ? name.replace(/\.aiml$/, '') : name;
      if (!SAFE_NAME.test(base)) continue;
      if (kind === 'file' && `${base}.aiml` === LIVE_TRAINING_FILE_NAME) continue;
      wanted.push({ kind, name: kind === 'file' ? `${base}.aiml` : base, path: `${folder}/${base}${ext}` });
    }
  };
  named('file', 'aiml', '.aiml', listing.files);
  named('set', 'sets', '.set', listing.sets);
  named('map', 'maps', '.map', listing.maps);
  named('substitution', 'substitutions', '.substitution', listing.substitutions);
  // The listing shows properties and pdefaults as their content; an empty list may still be a file: ask for both.
  wanted.push({ kind: 'properties', path: `system/${bot}.properties` }, { kind: 'pdefaults', path: `system/${bot}.pdefaults` });

  const written: string[] = [];
  for (const w of wanted) {
    let content: Buffer;
    try {
      content = await client.getFile(bot, w.kind, w.name);
    } catch (error) {
      // A bot without properties or pdefaults answers 412 for them: that is not a failure of the pull.
      if ((w.kind === 'properties' || w.kind === 'pdefaults') && isAppErrorOf(PlatformApiErrorCode, error) && error.code === 'platform_no_bot') continue;
      throw error;
    }
    const target = join(dir, ...w.path.split('/'));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFileAtomic(target, content);
    written.push(w.path);
  }
  const keep = new Set(written);
  for (const path of await listRelative(dir)) {
    if (path !== PULL_RECORD && !keep.has(path)) await rm(join(dir, ...path.split('/')), { force: true });
  }
  const record: PullRecord = { pulledAt: now, files: written.sort() };
  if (platformUrl) record.platformUrl = platformUrl;
  await writeFileAtomic(join(dir, PULL_RECORD), JSON.stringify(record) + '\n');
  return record;
}

/** When and what was last pulled into `dir`, or undefined when nothing was. */
export async function readPullRecord(dir: string): Promise<PullRecord | undefined> {
  try {
    const parsed = PullRecord.safeParse(JSON.parse(await readFile(join(dir, PULL_RECORD), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The bot files of a folder in the Pandorabots layout, without any `pand_livetraining.aiml` (the workspace's is used). */
export async function readOtherBotFiles(dir: string): Promise<BotFiles> {
  const files = await readBotDirectory(dir);
  for (const path of Object.keys(files)) if (path.slice(path.lastIndexOf('/') + 1) === LIVE_TRAINING_FILE_NAME) delete files[path];
  return files;
}

async function listRelative(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
