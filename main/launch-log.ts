import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';

/** A log file this big is moved aside (one old one kept) when Studio starts. */
const ROTATE_BYTES = 10 * 1024 * 1024;

export interface LaunchLog {
  logger: Logger;
  /** Where the JSON log goes; undefined with --verbose (it goes to the terminal). */
  file: string | undefined;
  /** Where Electron's own output goes: `<data>/logs/electron.log`, or the terminal with --verbose. */
  electronFile: string | undefined;
  /** Opens that destination (only when Electron runs). */
  electronOutput(): WriteStream | NodeJS.WriteStream;
}

function rotate(file: string): void {
  try {
    if (statSync(file).size > ROTATE_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // no file yet
  }
}

/**
 * The terminal shows a few human lines; the JSON log (Studio's, the local Platform's) and Electron's own output go to
 * files in `<data>/logs`, whose path is printed, unless --verbose asks for them on the terminal (stderr).
 */
export function openLaunchLog(dataDir: string, o: { verbose: boolean; level?: string }): LaunchLog {
  const level = o.level ?? 'info';
  if (o.verbose) return { logger: pino({ name: 'studio', level }, pino.destination(2)), file: undefined, electronFile: undefined, electronOutput: () => process.stderr };
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'studio.log');
  const electronFile = join(dir, 'electron.log');
  rotate(file);
  rotate(electronFile);
  // Synchronous writes: the lines just before a crash or process.exit are the ones worth having.
  const logger = pino({ name: 'studio', level }, pino.destination({ dest: file, sync: true, mode: 0o600 }));
  let electronStream: WriteStream | undefined;
  return { logger, file, electronFile, electronOutput: () => (electronStream ??= createWriteStream(electronFile, { flags: 'a', mode: 0o600 })) };
}
