import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as nodeFsPromises from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replacing a file so that a reader, or a restart after a crash or a power cut, sees either the old content or
 * the new one, never a mix: write a temp file in the same folder, fsync it, rename it over the target, fsync the
 * folder so that the rename itself is on disk. The one implementation for aiml/, server/ and main/.
 */

/** Temp files start with this prefix, so a folder listing can skip (and a start can delete) what a crash left. */
export const TEMP_PREFIX = '.tmp-';

export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** True when `name` is a temp file that a write of the file named `target` (a base name) left behind. */
export function isTempFileOf(name: string, target: string): boolean {
  return name.startsWith(`${TEMP_PREFIX}${target}.`);
}

function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}.${randomBytes(6).toString('hex')}`);
}

/**
 * The file-system calls the synchronous write makes. Passed in so tests can make any step fail (and check that the
 * previous content survives) or watch which calls happen.
 */
export interface AtomicWriteFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number, position: number | null): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

/** The same for the asynchronous write (node:fs/promises). */
export interface AtomicWriteFsPromises {
  open(path: string, flags: string, mode?: number): Promise<Pick<nodeFsPromises.FileHandle, 'writeFile' | 'sync' | 'close'>>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
}

export interface AtomicWriteOptions {
  /** File mode for a new file (e.g. 0o600 for credentials). Default 0o644. */
  mode?: number;
}

/** Synchronous atomic write: for code that must not yield between deciding and writing (the Platform's stores). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions & { fs?: AtomicWriteFs } = {}): void {
  const fs = options.fs ?? nodeFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = tempPathFor(path);
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
  syncDirectorySync(dirname(path), fs);
}

/** Asynchronous atomic write: the same guarantees, with the disk work on libuv's thread pool. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions & { fs?: AtomicWriteFsPromises } = {}): Promise<void> {
  const fs = options.fs ?? nodeFsPromises;
  const temp = tempPathFor(path);
  const handle = await fs.open(temp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path), fs);
}

/**
 * Errors that mean "this platform or file system does not fsync folders" rather than "the disk failed": the file
 * content is already synced, so these are not worth failing a write for. Anything else (EIO) is reported.
 */
const DIRECTORY_FSYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EACCES', 'EBADF']);

function unsupported(error: unknown): boolean {
  return DIRECTORY_FSYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '');
}

/** fsync a folder so that a rename or create inside it survives a power cut. Windows cannot open a folder for it. */
export function syncDirectorySync(dir: string, fs: Pick<AtomicWriteFs, 'openSync' | 'fsyncSync' | 'closeSync'> = nodeFs): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    if (!unsupported(error)) throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export async function syncDirectory(dir: string, fs: Pick<AtomicWriteFsPromises, 'open'> = nodeFsPromises): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: Awaited<ReturnType<AtomicWriteFsPromises['open']>> | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!unsupported(error)) throw error;
  } finally {
    await handle?.close();
  }
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
