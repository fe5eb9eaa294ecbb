import { describe, expect, it } from 'vitest';
import { InvalidCategoryError } from '../../../aiml/index.js';
import { describeCaptureError } from '../../../main/workspace/capture-error-message.js';

const fsError = (code: string, path?: string) => Object.assign(new Error(`${code}: boom, open '${path}'\n    at stack`), { code, path });

describe('why a capture failed, in words for the designer', () => {
  it('names the folder Studio may not write to', () => {
    expect(describeCaptureError(fsError('EACCES', '/ws/starter/.pand_livetraining.aiml.1.tmp'), '/ws/starter/pand_livetraining.aiml')).toBe(
      'Studio is not allowed to write to /ws/starter/.pand_livetraining.aiml.1.tmp. Make the workspace folder writable (or choose another one in Settings), then try again.',
    );
  });

  it('says when the disk is full', () => {
    expect(describeCaptureError(fsError('ENOSPC'), undefined)).toBe('The disk holding the workspace folder is full. Free some space, then try again.');
  });

  it('names the invalid field of a category the engine refused', () => {
    const error = new InvalidCategoryError([{ index: 0, pattern: 'HI', field: 'pattern', diagnostics: [{ severity: 'error', message: 'a pattern needs a word', line: 1, column: 1 }] as never }]);
    expect(describeCaptureError(error, undefined)).toBe('The reply does not make a valid AIML category: the pattern (a pattern needs a word).');
  });

  it('keeps only the first line of any other error: never a stack', () => {
    expect(describeCaptureError(new Error('the Platform did not answer\n    at x (y.ts:1)'), undefined)).toBe('Studio could not save the category: the Platform did not answer');
  });
});
