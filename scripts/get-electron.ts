// Gets the Electron binary as a step of installing (postinstall, or `npm run get-electron`), so that `npm start`
// never waits for a download: it finds the binary there, or goes to browser mode at once.
//
// Electron's own `install.js` (node_modules/electron, run here as it is) downloads the zip with fetch into a fresh
// folder under the temporary directory, checks it against checksums.json, and extracts it into dist/; on failure it
// prints the error's stack and exits 1. It has no time limit of its own beyond fetch's (10 s to connect, 5 min
// without data), and prints progress only on a terminal after 30 s. So this step watches it from outside: the
// download's size in the temporary folder we give it is the progress; nothing arriving within CONNECT_MS means the
// download host is unreachable (give up quickly); no growth for STALL_MS means a dead connection. A download that
// keeps moving is never cut short. Whatever happens, installing goes on: this step always ends with one line.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '../protocol/clock.js';
import { locateElectron } from '../main/electron-binary.js';
import { atLeast, ELECTRON_NODE } from './node-version.mjs';

export const CONNECT_MS = 15_000;
export const STALL_MS = 60_000;
const PROGRESS_EVERY_MS = 1_000;

export interface GetElectronOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  nodeVersion: string;
  clock?: Clock;
  /** Runs `node install.js` with this environment (tests pass a stand-in). */
  runInstaller?: (installer: string, env: NodeJS.ProcessEnv) => ChildProcess;
  /** Progress and result lines. */
  print?: (line: string) => void;
  /** Rewrites the current progress line on a terminal; undefined: progress as a line every 10 s. */
  progress?: (text: string) => void;
  connectMs?: number;
  stallMs?: number;
}

export type GetElectronResult =
  | { outcome: 'no-package' | 'skipped' | 'present' | 'installed'; line: string }
  | { outcome: 'failed'; line: string };

/** ELECTRON_SKIP_BINARY_DOWNLOAD as npm and Electron's older install script read it: any value but empty, 0, false. */
export function skipRequested(env: NodeJS.ProcessEnv): boolean {
  const v = env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** The host the download comes from, for the messages (a mirror when one is configured). */
export function downloadHost(env: NodeJS.ProcessEnv): string {
  const mirror = env.ELECTRON_MIRROR ?? env.npm_config_electron_mirror ?? env.npm_package_config_electron_mirror;
  try {
    return mirror ? new URL(mirror).host : 'github.com';
  } catch {
    return mirror!;
  }
}

function electronVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Bytes written so far under a folder (the download in progress; the extraction into dist/). */
function bytesUnder(dir: string): number {
  let total = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += bytesUnder(p);
    else if (e.isFile()) {
      try {
        total += statSync(p).size;
      } catch {
        // gone meanwhile
      }
    }
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

/** The line to show from what install.js printed when it failed: the error, not its stack. */
export function installerError(stderr: string): string | undefined {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at '));
  return line?.slice(0, 200);
}

export async function getElectron(o: GetElectronOptions): Promise<GetElectronResult> {
  const clock = o.clock ?? systemClock;
  const print = o.print ?? ((line: string) => console.log(line));
  const pkg = join(o.root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { outcome: 'no-package', line: 'Electron is not installed (development dependencies left out): npm start will serve Studio in the browser.' };
  const version = electronVersion(o.root);
  if (skipRequested(o.env)) return { outcome: 'skipped', line: `Electron ${version} not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): npm start will serve Studio in the browser.` };
  if (locateElectron(o.root, o.env).found) return { outcome: 'present', line: `Electron ${version} is installed.` };

  const host = downloadHost(o.env);
  const nodeHint = atLeast(o.nodeVersion, ELECTRON_NODE) ? '' : `; Electron's installer declares Node ${ELECTRON_NODE.join('.')}+ and this is Node ${o.nodeVersion}`;
  print(`Getting Electron ${version} for ${process.platform}-${process.arch} (about 100 MB) from ${host}; ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips this.`);

  const temp = mkdtempSync(join(tmpdir(), 'studio-get-electron-'));
  const env = { ...o.env, TMPDIR: temp, TEMP: temp, TMP: temp, ELECTRON_GET_NO_PROGRESS: '1' };
  const installer = join(pkg, 'install.js');
  const run = o.runInstaller ?? ((file, e) => spawn(process.execPath, [file], { cwd: o.root, env: e, stdio: ['ignore', 'ignore', 'pipe'] }));
  const started = clock.now();

  const failure = await new Promise<string | undefined>((resolve) => {
    const child = run(installer, env);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let seen = 0;
    let lastGrowth = clock.now();
    let lastLine = clock.now();
    let giveUp: string | undefined;
    let timer = clock.setTimeout(tick, PROGRESS_EVERY_MS);
    function tick(): void {
      const now = clock.now();
      const bytes = bytesUnder(temp) + bytesUnder(join(pkg, 'dist'));
      if (bytes > seen) {
        seen = bytes;
        lastGrowth = now;
        if (o.progress) o.progress(`  ${mb(bytes)} so far…`);
        else if (now - lastLine >= 10_000) {
          print(`  ${mb(bytes)} so far…`);
          lastLine = now;
        }
      }
      if (seen === 0 && now - started >= (o.connectMs ?? CONNECT_MS)) giveUp = `${host} did not answer within ${((o.connectMs ?? CONNECT_MS) / 1000).toFixed(0)} s`;
      else if (seen > 0 && now - lastGrowth >= (o.stallMs ?? STALL_MS)) giveUp = `the download stalled (nothing new for ${((o.stallMs ?? STALL_MS) / 1000).toFixed(0)} s)`;
      if (giveUp) child.kill();
      else timer = clock.setTimeout(tick, PROGRESS_EVERY_MS);
    }
    child.on('error', (error) => {
      clock.clearTimeout(timer);
      resolve(`its installer could not run (${error.message})`);
    });
    child.on('exit', (code, signal) => {
      clock.clearTimeout(timer);
      if (giveUp) resolve(giveUp);
      else if (code === 0) resolve(undefined);
      else resolve(installerError(stderr) ?? (signal ? `its installer was stopped (${signal})` : `its installer exited with code ${code}`));
    });
  });
  rmSync(temp, { recursive: true, force: true });
  if (o.progress) o.progress('');

  const found = locateElectron(o.root, o.env);
  if (!failure && found.found) return { outcome: 'installed', line: `Electron ${version} is installed (${((clock.now() - started) / 1000).toFixed(0)} s).` };
  const why = failure ?? (found.found ? 'unknown' : found.reason);
  return { outcome: 'failed', line: `Electron could not be downloaded (${why}${nodeHint}): npm start will serve Studio in the browser. To try again: npm run get-electron` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(import.meta.url), '..', '..');
  const tty = process.stdout.isTTY;
  getElectron({
    root,
    env: process.env,
    nodeVersion: process.versions.node,
    progress: tty ? (text) => process.stdout.write(`\r\x1b[K${text}`) : undefined,
  })
    .then((r) => console.log(r.line))
    .catch((error: unknown) => console.log(`Electron could not be downloaded (${error instanceof Error ? error.message : String(error)}): npm start will serve Studio in the browser.`))
    .finally(() => process.exit(0));
}
