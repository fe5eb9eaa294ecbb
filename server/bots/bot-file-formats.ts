import type { BotFileKind } from './bot-file-names.js';
import { badFileContent } from './errors.js';

/** Largest file the Platform accepts, as Pandorabots (2 MB). */
export const MAX_BOT_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Check an uploaded file before it is written. The JSON kinds must parse and have Pandorabots' shape (a set is
 * `[["red"],["blue"]]`; maps, substitutions, properties and pdefaults are `[[key, value], ...]`), because a file
 * that cannot be read would only fail later, at verify, far from the upload that caused it. AIML is checked at
 * verify, as on Pandorabots (an upload of broken AIML succeeds; verify reports every error with its line).
 * Throws the bot store's `bad_file_content` refusal (server/bots/errors.ts).
 */
export function checkFileContent(kind: BotFileKind, content: Uint8Array): void {
  if (content.length > MAX_BOT_FILE_BYTES) {
    throw badFileContent(`the file is ${content.length} bytes; the limit is ${MAX_BOT_FILE_BYTES} bytes (2 MB)`);
  }
  if (kind === 'file') {
    if (content.length === 0) throw badFileContent('the AIML file is empty');
    return;
  }
  const text = decodeUtf8(content);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw badFileContent(`the ${kind} file is not valid JSON: ${(error as Error).message}`, error);
  }
  if (!Array.isArray(value)) throw badFileContent(`a ${kind} file is a JSON array of entries, e.g. ${example(kind)}`);
  value.forEach((entry, index) => {
    const ok =
      Array.isArray(entry) &&
      entry.every((part) => typeof part === 'string') &&
      (kind === 'set' ? entry.length >= 1 : entry.length === 2) &&
      (kind === 'set' ? entry.some((part) => part.trim() !== '') : (entry[0] as string).trim() !== '');
    if (!ok) {
      throw badFileContent(
        `entry ${index + 1} of the ${kind} file is ${JSON.stringify(entry)?.slice(0, 80)}; each entry must look like ${example(kind)}`,
      );
    }
  });
}

function example(kind: BotFileKind): string {
  switch (kind) {
    case 'set':
      return '["red"]';
    case 'map':
      return '["key", "value"]';
    case 'substitution':
      return '["from", "to"]';
    case 'properties':
      return '["name", "value"]';
    case 'pdefaults':
      return '["predicate", "default"]';
    case 'file':
      return 'AIML';
  }
}

function decodeUtf8(content: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw badFileContent('the file is not valid UTF-8');
  }
}
