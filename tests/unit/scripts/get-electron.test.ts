import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { downloadHost, getElectron, installerError, skipRequested } from '../../../scripts/get-electron.js';
import { ManualClock } from '../../support/manual-clock.js';

let root: string;
let pkg: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'studio-get-electron-test-'));
  pkg = join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"type":"commonjs"}');
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron","version":"45.5.0"}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in for node_modules/electron/install.js. It notes that it ran, in `ran`. */
function installer(body: string): void {
  writeFileSync(join(pkg, 'install.js'), `const fs = require('fs'); const path = require('path'); fs.writeFileSync(path.join(__dirname, 'ran'), ''); ${body}`);
}
const EXTRACT = `fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true }); fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), ''); fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');`;

function run(o: { env?: NodeJS.ProcessEnv; nodeVersion?: string; clock?: ManualClock } = {}) {
  const printed: string[] = [];
  const result = getElectron({ root, env: o.env ?? {}, nodeVersion: o.nodeVersion ?? '22.12.0', clock: o.clock, print: (l) => printed.push(l) });
  return { result, printed };
}

describe('getting Electron while installing', () => {
  it('downloads through Electron’s own installer and says where from, and that it can be skipped', async () => {
    installer(EXTRACT);
    const { result, printed } = run();
    expect(await result).toMatchObject({ outcome: 'installed', line: expect.stringMatching(/^Electron 45\.5\.0 is installed \(\d+ s\)\.$/) });
    expect(printed[0]).toBe(`Getting Electron 45.5.0 for ${process.platform}-${process.arch} (about 100 MB) from github.com; ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips this.`);
  });

  it('respects ELECTRON_SKIP_BINARY_DOWNLOAD: the installer does not run', async () => {
    installer(EXTRACT);
    expect(await run({ env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } }).result).toEqual({
      outcome: 'skipped',
      line: 'Electron 45.5.0 not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): npm start will serve Studio in the browser.',
    });
    expect(existsSync(join(pkg, 'ran'))).toBe(false);
    expect(skipRequested({ ELECTRON_SKIP_BINARY_DOWNLOAD: '0' })).toBe(false);
    expect(skipRequested({ ELECTRON_SKIP_BINARY_DOWNLOAD: 'true' })).toBe(true);
  });

  it('does nothing when the binary is already there', async () => {
    installer('');
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(await run().result).toEqual({ outcome: 'present', line: 'Electron 45.5.0 is installed.' });
    expect(existsSync(join(pkg, 'ran'))).toBe(false);
  });

  it('a failed download ends in one line with the error (not its stack), and on Node 20 says what Electron’s installer declares', async () => {
    installer(`console.error(new TypeError('fetch failed').stack); process.exit(1);`);
    const { result } = run({ nodeVersion: '20.19.1' });
    expect(await result).toEqual({
      outcome: 'failed',
      line: "Electron could not be downloaded (TypeError: fetch failed; Electron's installer declares Node 22.12+ and this is Node 20.19.1): npm start will serve Studio in the browser. To try again: npm run get-electron",
    });
  });

  it('gives up quickly on a host that does not answer: nothing arriving in 15 s', async () => {
    installer(`setTimeout(() => {}, 120000);`);
    const clock = new ManualClock();
    const { result } = run({ clock, env: { ELECTRON_MIRROR: 'https://mirror.example.org/electron/' } });
    await vi.waitFor(() => expect(existsSync(join(pkg, 'ran'))).toBe(true));
    clock.advance(14_000);
    let settled = false;
    void result.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    clock.advance(1_000);
    expect(await result).toEqual({
      outcome: 'failed',
      line: 'Electron could not be downloaded (mirror.example.org did not answer within 15 s): npm start will serve Studio in the browser. To try again: npm run get-electron',
    });
  });

  it('never cuts a download that keeps arriving, but stops one that stalls for a minute', async () => {
    installer(`let n = 0; const f = path.join(process.env.TMPDIR, 'electron-download-x', 'electron.zip'); fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(path.join(__dirname, 'chunks'), '0');
      setInterval(() => { const want = Number(fs.readFileSync(path.join(__dirname, 'chunks'), 'utf8')); if (want > n) { fs.appendFileSync(f, Buffer.alloc(1024 * (want - n))); n = want; fs.writeFileSync(path.join(__dirname, 'got'), String(n)); } }, 20);`);
    const clock = new ManualClock();
    const { result } = run({ clock });
    await vi.waitFor(() => expect(existsSync(join(pkg, 'chunks'))).toBe(true));
    // Ten minutes of a slow download: more arrives every 30 s.
    for (let i = 1; i <= 20; i++) {
      writeFileSync(join(pkg, 'chunks'), String(i));
      await vi.waitFor(() => expect(existsSync(join(pkg, 'got')) && Number(readFileSync(join(pkg, 'got'), 'utf8'))).toBe(i));
      clock.advance(30_000);
    }
    let settled = false;
    void result.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    clock.advance(60_000);
    expect(await result).toMatchObject({ outcome: 'failed', line: expect.stringContaining('(the download stalled (nothing new for 60 s)') });
  });
});

describe('messages', () => {
  it('name the mirror when one is set', () => {
    expect(downloadHost({})).toBe('github.com');
    expect(downloadHost({ ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron/' })).toBe('npmmirror.com');
  });

  it('take the error line from a stack', () => {
    expect(installerError('HTTPError: Response code 404 (Not Found) for https://x\n    at FetchDownloader.download (file:///a.js:1:1)\n')).toBe('HTTPError: Response code 404 (Not Found) for https://x');
    expect(installerError('')).toBeUndefined();
  });
});
