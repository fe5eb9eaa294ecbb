import { InvalidCategoryError } from '../../aiml/index.js';

/**
 * Why a reply did not become a category, in words a designer can act on: the file system's error codes become
 * the folder or file to fix; an invalid category names the field. Anything else keeps its own message (first
 * line only: never a stack).
 */
export function describeCaptureError(error: unknown, file: string | undefined): string {
  const e = error as NodeJS.ErrnoException | undefined;
  const path = typeof e?.path === 'string' ? e.path : file;
  const where = path ? ` ${path}` : ' the workspace folder';
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `Studio is not allowed to write to${where}. Make the workspace folder writable (or choose another one in Settings), then try again.`;
    case 'EISDIR':
      return `${path ?? 'pand_livetraining.aiml'} is a folder, not a file. Move it out of the way, then try again.`;
    case 'ENOTDIR':
      return `Part of the path${where} is a file where Studio needs a folder. Move it out of the way, then try again.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return 'The disk holding the workspace folder is full. Free some space, then try again.';
    case undefined:
      // Not a file-system error: the checks below name it.
      break;
  }
  if (error instanceof InvalidCategoryError) {
    const first = error.problems[0];
    const field = first ? `the ${first.field} (${first.diagnostics.map((d) => d.message).join('; ')})` : 'a field';
    return `The reply does not make a valid AIML category: ${field}.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Studio could not save the category: ${message.split('\n')[0]}`;
}
