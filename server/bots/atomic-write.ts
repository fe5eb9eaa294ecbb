import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The few file-system calls an atomic write needs. Passed in so tests can make any step fail and check that
 * the previous content survives (a server killed mid-write must never leave a half-written bot file).
 */
export interface AtomicWriteFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number, position: number | null): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

export interface AtomicWriteOptions {
  fs?: AtomicWriteFs;
  /** File mode for a new file (e.g. 0o600 for credentials). */
  mode?: number;
}

/** Temp files start with this prefix, so directory listings can skip leftovers of a crash. */
export const TEMP_PREFIX = '.tmp-';

export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/**
 * Replace `path` with `data` so that a reader (or a restart after a crash) sees either the old file or the new
 * one, never a mix: write a temp file in the same directory, fsync it, rename it over the target, fsync the
 * directory so the rename itself is durable.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const fs = options.fs ?? nodeFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', options.mode ?? 0o644);
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written, written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // the write already failed; the original error is the one worth reporting
      }
    }
    try {
      fs.unlinkSync(temp);
    } catch {
      // the temp file may never have been created
    }
    throw error;
  }
  syncDirectory(dir, fs);
}

/**
 * Delete temp files a crash left behind in `dir` and its subfolders down to `depth` levels (a killed write leaves
 * its temp file; the target itself is intact). Called once at start, before anything writes.
 */
export function removeTempFiles(dir: string, depth: number): void {
  let entries: nodeFs.Dirent[];
  try {
    entries = nodeFs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isFile() && isTempFileName(entry.name)) nodeFs.rmSync(path, { force: true });
    else if (entry.isDirectory() && depth > 0) removeTempFiles(path, depth - 1);
  }
}

/** fsync a directory so a rename or create inside it survives a power cut. Not supported everywhere (Windows). */
export function syncDirectory(dir: string, fs: Pick<AtomicWriteFs, 'openSync' | 'fsyncSync' | 'closeSync'> = nodeFs): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directory fsync is best effort: some platforms refuse it, and the file content itself is already synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
