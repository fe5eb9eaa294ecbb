import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLaunchLog } from '../../../main/launch-log.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start's log", () => {
  it('goes to <data>/logs/studio.log as JSON, owner-only; Electron’s output file is made only when Electron runs', () => {
    const log = openLaunchLog(dir, { verbose: false });
    expect(log.file).toBe(join(dir, 'logs', 'studio.log'));
    log.logger.info({ port: 1234 }, 'Platform listening');
    const line = JSON.parse(readFileSync(log.file!, 'utf8').trim()) as { msg: string; port: number };
    expect(line).toMatchObject({ msg: 'Platform listening', port: 1234 });
    expect(statSync(log.file!).mode & 0o077).toBe(0);
    expect(existsSync(join(dir, 'logs', 'electron.log'))).toBe(false);
    expect(log.electronFile).toBe(join(dir, 'logs', 'electron.log'));
  });

  it('moves a log grown past 10 MB aside when Studio starts, keeping one old one', () => {
    mkdirSync(join(dir, 'logs'));
    const file = join(dir, 'logs', 'studio.log');
    writeFileSync(file, '');
    truncateSync(file, 11 * 1024 * 1024);
    openLaunchLog(dir, { verbose: false });
    expect(statSync(`${file}.1`).size).toBe(11 * 1024 * 1024);
    expect(existsSync(file) ? statSync(file).size : 0).toBe(0);
  });

  it('with --verbose writes no file', () => {
    const log = openLaunchLog(dir, { verbose: true });
    expect(log.file).toBeUndefined();
    expect(log.electronFile).toBeUndefined();
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });
});
