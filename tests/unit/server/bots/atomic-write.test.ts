import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AtomicWriteFs, writeFileAtomic } from '../../../../server/bots/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The real file system, except that the named step throws (like a crash or a full disk at that moment). */
function failingAt(step: keyof AtomicWriteFs): AtomicWriteFs {
  const real: AtomicWriteFs = fs;
  return {
    ...real,
    openSync: real.openSync,
    [step]: () => {
      throw new Error(`simulated failure in ${step}`);
    },
  } as AtomicWriteFs;
}

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving no temp file behind', () => {
    const path = join(dir, 'bot.aiml');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['bot.aiml']);
  });

  it.each(['writeSync', 'fsyncSync', 'renameSync'] as const)('keeps the old content intact when %s fails', (step) => {
    const path = join(dir, 'bot.aiml');
    writeFileSync(path, 'the good version');
    expect(() => writeFileAtomic(path, 'half a new version', { fs: failingAt(step) })).toThrow(/simulated failure/);
    expect(readFileSync(path, 'utf8')).toBe('the good version');
    expect(readdirSync(dir)).toEqual(['bot.aiml']);
  });

  it('writes a file with the requested mode', () => {
    const path = join(dir, 'secret.json');
    writeFileAtomic(path, '{}', { mode: 0o600 });
    expect(fs.statSync(path).mode & 0o777).toBe(0o600);
  });
});
