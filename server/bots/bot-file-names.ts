import { BotName } from '../../protocol/conversation.js';
import { badFileName } from './errors.js';

/**
 * Where each kind of bot file lives, in the Pandorabots layout the engine's loader reads:
 * `aiml/x.aiml`, `sets/x.set`, `maps/x.map`, `substitutions/x.substitution`, `system/<bot>.properties|pdefaults`.
 * The API names kinds as Pandorabots does (`file` is AIML).
 */
export const FILE_KINDS = ['file', 'set', 'map', 'substitution', 'properties', 'pdefaults'] as const;
export type BotFileKind = (typeof FILE_KINDS)[number];

/** Kinds that carry a name in the path (properties and pdefaults are one file per bot). */
export type NamedFileKind = 'file' | 'set' | 'map' | 'substitution';

export function isFileKind(kind: string): kind is BotFileKind {
  return (FILE_KINDS as readonly string[]).includes(kind);
}

export function isNamedKind(kind: BotFileKind): kind is NamedFileKind {
  return kind !== 'properties' && kind !== 'pdefaults';
}

const FOLDER: Record<BotFileKind, string> = {
  file: 'aiml',
  set: 'sets',
  map: 'maps',
  substitution: 'substitutions',
  properties: 'system',
  pdefaults: 'system',
};
const EXTENSION: Record<BotFileKind, string> = {
  file: '.aiml',
  set: '.set',
  map: '.map',
  substitution: '.substitution',
  properties: '.properties',
  pdefaults: '.pdefaults',
};

export function kindFolder(kind: BotFileKind): string {
  return FOLDER[kind];
}

export function kindExtension(kind: BotFileKind): string {
  return EXTENSION[kind];
}

/**
 * A file base name: Pandorabots allows lowercase letters and digits; we also allow `_` and `-` inside a name
 * because the platform's own files are called `pand_livetraining.aiml` and `pand_learn.aiml`. Everything else is
 * refused: path separators, `..`, NUL, dots, upper case (case-insensitive file systems would merge names),
 * non-ASCII look-alikes, leading dashes (read as options by shell tools).
 */
const BASE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Device names Windows reserves in every directory (a bot directory may be copied to Windows by Studio). */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/** Check a file base name (without extension); throws the `bad_file_name` refusal saying what is wrong. */
export function checkBaseName(base: string): string {
  if (!BASE_NAME.test(base)) {
    throw badFileName(
      `"${printable(base)}" is not a valid file name: use 1-64 lowercase letters, digits, "_" or "-", starting with a letter or digit`,
    );
  }
  if (RESERVED.test(base)) throw badFileName(`"${base}" is a reserved device name on some systems; choose another name`);
  return base;
}

export function isValidBaseName(base: string): boolean {
  return BASE_NAME.test(base) && !RESERVED.test(base);
}

export function isValidBotName(name: string): boolean {
  return BotName.safeParse(name).success;
}

/** One bot file, identified as the API names it. `name` is the base name (no extension); unused for system files. */
export interface BotFileRef {
  kind: BotFileKind;
  name: string;
}

/**
 * Parse the `{file-kind}/{filename}` part of an API path. AIML names carry their `.aiml` extension in the path,
 * other named kinds carry none (pb-node and pb-cli build paths this way). Throws the `bad_file_name` refusal.
 */
export function fileRefFromApi(kind: BotFileKind, pathName: string | undefined): BotFileRef {
  if (!isNamedKind(kind)) {
    if (pathName !== undefined) throw badFileName(`${kind} files take no file name in the path`);
    return { kind, name: '' };
  }
  if (pathName === undefined || pathName === '') throw badFileName(`a ${kind} file needs a name in the path`);
  if (kind === 'file') {
    if (!pathName.endsWith('.aiml')) throw badFileName(`"${printable(pathName)}" is not an AIML file name: it must end in .aiml`);
    return { kind, name: checkBaseName(pathName.slice(0, -'.aiml'.length)) };
  }
  return { kind, name: checkBaseName(pathName) };
}

/** The path of a file inside the bot directory, e.g. `aiml/x.aiml` or `system/mybot.properties`. */
export function relativePathOf(bot: string, ref: BotFileRef): string {
  const base = isNamedKind(ref.kind) ? checkBaseName(ref.name) : bot;
  return `${FOLDER[ref.kind]}/${base}${EXTENSION[ref.kind]}`;
}

/** The name a file has in API listings and zips: `x.aiml`, `x.set`, `mybot.properties`. */
export function displayNameOf(bot: string, ref: BotFileRef): string {
  return `${isNamedKind(ref.kind) ? ref.name : bot}${EXTENSION[ref.kind]}`;
}

/** Map a path inside a bot directory back to a file ref, or undefined when it is not a bot file we serve. */
export function fileRefFromRelativePath(bot: string, relative: string): BotFileRef | undefined {
  const slash = relative.indexOf('/');
  if (slash < 0) return undefined;
  const folder = relative.slice(0, slash);
  const file = relative.slice(slash + 1);
  for (const kind of FILE_KINDS) {
    if (FOLDER[kind] !== folder || !file.endsWith(EXTENSION[kind])) continue;
    const base = file.slice(0, -EXTENSION[kind].length);
    if (!isNamedKind(kind)) return base === bot ? { kind, name: '' } : undefined;
    return isValidBaseName(base) ? { kind, name: base } : undefined;
  }
  return undefined;
}

/** Show a hostile name in an error message without control characters. */
function printable(s: string): string {
  const cleaned = s.replace(/[^\x20-\x7e]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  return cleaned.length > 80 ? `${cleaned.slice(0, 80)}...` : cleaned;
}

/** Where the learned categories' `pand_livetraining.aiml` (LIVE_TRAINING_FILE) is kept among a bot's files. */
export const LEARNED_FILE_REF: BotFileRef = { kind: 'file', name: 'pand_livetraining' };
