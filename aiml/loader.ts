/**
 * The engine's only I/O: reads a bot directory in the Pandorabots layout and compiles it, and wires
 * <learnf> to an atomic write (node-lib/atomic-write.ts) of the learn file in that directory's aiml/ folder,
 * so learned categories survive a reload. Reading is asynchronous and compiling runs in slices
 * (compile-in-slices.ts), so loading a large bot never holds the event loop for more than a few ms.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomicSync } from '../node-lib/atomic-write.js';
import type { CompileResult } from './compile.js';
import { compileBotInSlices, type SliceOptions } from './compile-in-slices.js';
import type { BotFiles, CompileOptions } from './types.js';

const FOLDERS: Record<string, string[]> = {
  aiml: ['.aiml'],
  sets: ['.set'],
  maps: ['.map'],
  substitutions: ['.substitution'],
  system: ['.properties', '.pdefaults'],
};

/** Only a plain file name in aiml/ may be written: a property must not steer writes elsewhere. */
const SAFE_LEARN_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.aiml$/;

async function listFiles(dir: string, extensions: string[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return entries
    .filter((e) => e.isFile() && extensions.some((x) => e.name.toLowerCase().endsWith(x)))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Reads the bot files of `dir` into the in-memory form compileBot takes (AIML as bytes). */
export async function readBotDirectory(dir: string): Promise<BotFiles> {
  const files: BotFiles = {};
  for (const [folder, extensions] of Object.entries(FOLDERS)) {
    for (const path of await listFiles(join(dir, folder), extensions)) {
      const key = relative(dir, path).split(sep).join('/');
      files[key] = new Uint8Array(await readFile(path));
    }
  }
  return files;
}

export async function loadBotDirectory(dir: string, options: CompileOptions & SliceOptions = {}): Promise<CompileResult> {
  const files = await readBotDirectory(dir);
  const result = await compileBotInSlices(files, {
    ...options,
    botName: options.botName ?? basename(resolve(dir)),
    onLearnf: (fileName, aimlText) => {
      if (!SAFE_LEARN_FILE.test(fileName)) return false;
      try {
        writeFileAtomicSync(join(dir, 'aiml', fileName), aimlText);
      } catch {
        return false;
      }
      const outer = options.onLearnf?.(fileName, aimlText);
      return outer === false ? false : true;
    },
  });
  const learnFile = result.bot.data.learnf.fileName;
  if (!SAFE_LEARN_FILE.test(learnFile)) {
    result.diagnostics.push({
      file: 'system',
      line: 0,
      column: 0,
      message: `learn-filename '${learnFile}' is not a plain .aiml file name: <learnf> categories stay in memory only`,
      severity: 'warning',
    });
  }
  return result;
}
