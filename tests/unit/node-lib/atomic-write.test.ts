import * as fs from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AtomicWriteFs, type AtomicWriteFsPromises, isTempFileName, writeFileAtomic, writeFileAtomicSync } from '../../../node-lib/atomic-write.js';

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

/** The real file system, recording each call in order as "call path-or-fd". */
function recordingSyncFs(calls: string[]): AtomicWriteFs {
  const paths = new Map<number, string>();
  return {
    openSync: (path, flags, mode) => {
      const fd = fs.openSync(path, flags, mode);
      paths.set(fd, path);
      calls.push(`open ${path}`);
      return fd;
    },
    writeSync: (fd, data, offset, length, position) => fs.writeSync(fd, data, offset, length, position),
    fsyncSync: (fd) => {
      calls.push(`fsync ${paths.get(fd)}`);
      fs.fsyncSync(fd);
    },
    closeSync: (fd) => fs.closeSync(fd),
    renameSync: (from, to) => {
      calls.push(`rename ${to}`);
      fs.renameSync(from, to);
    },
    unlinkSync: (path) => fs.unlinkSync(path),
  };
}

function recordingAsyncFs(calls: string[]): AtomicWriteFsPromises {
  return {
    open: async (path, flags, mode) => {
      const handle = await fsPromises.open(path, flags, mode);
      calls.push(`open ${path}`);
      return {
        writeFile: (data: string | Uint8Array) => handle.writeFile(data),
        sync: async () => {
          calls.push(`fsync ${path}`);
          await handle.sync();
        },
        close: () => handle.close(),
      } as Awaited<ReturnType<AtomicWriteFsPromises['open']>>;
    },
    rename: async (from, to) => {
      calls.push(`rename ${to}`);
      await fsPromises.rename(from, to);
    },
    rm: (path, options) => fsPromises.rm(path, options),
  };
}

/** What a power cut must not undo: the file's bytes synced, then the rename, then the folder that holds it synced. */
function expectDurableOrder(calls: string[], target: string): void {
  const temp = calls.find((c) => c.startsWith('fsync ') && isTempFileName(c.slice(c.lastIndexOf('/') + 1)));
  expect(temp, 'the temp file is fsynced').toBeDefined();
  const fileSynced = calls.indexOf(temp!);
  const renamed = calls.indexOf(`rename ${target}`);
  const dirSynced = calls.lastIndexOf(`fsync ${dir}`);
  expect(fileSynced).toBeGreaterThanOrEqual(0);
  expect(renamed).toBeGreaterThan(fileSynced);
  expect(dirSynced, 'the folder is fsynced after the rename').toBeGreaterThan(renamed);
}

describe('writeFileAtomicSync', () => {
  it('creates and replaces a file, leaving no temp file behind', () => {
    const path = join(dir, 'bot.aiml');
    writeFileAtomicSync(path, 'first');
    writeFileAtomicSync(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['bot.aiml']);
  });

  it.each(['writeSync', 'fsyncSync', 'renameSync'] as const)('keeps the old content intact when %s fails', (step) => {
    const path = join(dir, 'bot.aiml');
    writeFileSync(path, 'the good version');
    expect(() => writeFileAtomicSync(path, 'half a new version', { fs: failingAt(step) })).toThrow(/simulated failure/);
    expect(readFileSync(path, 'utf8')).toBe('the good version');
    expect(readdirSync(dir)).toEqual(['bot.aiml']);
  });

  it('writes a file with the requested mode', () => {
    const path = join(dir, 'secret.json');
    writeFileAtomicSync(path, '{}', { mode: 0o600 });
    expect(fs.statSync(path).mode & 0o777).toBe(0o600);
  });

  it.skipIf(process.platform === 'win32')('fsyncs the folder after the rename, so the rename survives a power cut', () => {
    const calls: string[] = [];
    const path = join(dir, 'bot.aiml');
    writeFileAtomicSync(path, 'content', { fs: recordingSyncFs(calls) });
    expectDurableOrder(calls, path);
  });
});

describe('writeFileAtomic (async)', () => {
  it('creates and replaces a file, leaving no temp file behind', async () => {
    const path = join(dir, 'settings.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('keeps the old content intact when the rename fails', async () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, 'the good version');
    const real = recordingAsyncFs([]);
    const failing: AtomicWriteFsPromises = { ...real, rename: () => Promise.reject(new Error('simulated failure in rename')) };
    await expect(writeFileAtomic(path, 'half a new version', { fs: failing })).rejects.toThrow(/simulated failure/);
    expect(readFileSync(path, 'utf8')).toBe('the good version');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it.skipIf(process.platform === 'win32')('fsyncs the folder after the rename, so the rename survives a power cut', async () => {
    const calls: string[] = [];
    const path = join(dir, 'settings.json');
    await writeFileAtomic(path, 'content', { fs: recordingAsyncFs(calls) });
    expectDurableOrder(calls, path);
  });
});
