import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// npm start's Electron path, with a stand-in Electron (ELECTRON_OVERRIDE_DIST_PATH, as Electron's own package
// honours it): the real binary cannot be downloaded here.
const REPO = resolve(import.meta.dirname, '../../..');
let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  // The launcher runs in a process group of its own (under runuser as root): kill the whole group, or the launcher
  // and its build helpers outlive the test.
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  child = dir = undefined;
});

/** A stand-in `electron` executable running this shell script body; it records its environment in `env.txt`. */
function fakeElectron(body: string): string {
  const dist = join(dir!, 'electron-dist');
  mkdirSync(dist);
  chmodSync(dist, 0o777); // the stand-in also runs as `nobody` (see launch) and writes env.txt here
  writeFileSync(join(dist, 'electron'), `#!/bin/sh\nenv > "${join(dist, 'env.txt')}"\n${body}\n`);
  chmodSync(join(dist, 'electron'), 0o755);
  return dist;
}

/** Root cannot start Chromium with its sandbox (the launcher says so before trying): run it as `nobody` then. */
const asRoot = process.getuid?.() === 0;

async function launch(env: NodeJS.ProcessEnv, o: { asNormalUser?: boolean } = {}): Promise<string> {
  const args = ['--import', 'tsx', 'main/launch.ts', '--no-open'];
  const [command, commandArgs] = o.asNormalUser && asRoot ? ['runuser', ['-u', 'nobody', '--', process.execPath, ...args]] : [process.execPath, args];
  if (o.asNormalUser && asRoot) chmodSync(dir!, 0o777);
  const proc = spawn(command, commandArgs, { cwd: REPO, env: { ...process.env, STUDIO_DATA_DIR: join(dir!, 'data'), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child = proc;
  let out = '';
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((ok, fail) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Press Ctrl-C to stop.')) ok();
    });
    proc.on('exit', (code) => fail(new Error(`launcher exited with ${code}:\n${out}`)));
  });
  return out;
}

const noDisplay = { DISPLAY: '', WAYLAND_DISPLAY: '' };

describe('npm start when Electron cannot run', () => {
  it.skipIf(process.platform !== 'linux')('with no display: says so with the fix, does not try Electron, and serves browser mode at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-electron-'));
    const dist = fakeElectron('exit 0');
    const out = await launch({ ELECTRON_OVERRIDE_DIST_PATH: dist, ...noDisplay });
    expect(out).toContain(
      'Electron cannot start here: there is no display to open its window on (DISPLAY and WAYLAND_DISPLAY are not set) (fix: run npm start in a desktop session (or ssh -X)). Serving Studio in browser mode instead.',
    );
    expect(existsSync(join(dist, 'env.txt'))).toBe(false);
    expect(out).toMatch(/Studio \(browser mode\):\s+http:\/\/127\.0\.0\.1:\d+\/\?key=/);
  });

  // Chromium's own rule (no root without --no-sandbox) is checked first, so this runs the launcher as a normal user.
  it.skipIf(process.platform !== 'linux')(
    'when it dies at start: says why (from its output), with the fix, and serves browser mode with the same local Platform it was handed',
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'studio-electron-'));
      const dist = fakeElectron(`echo "[1:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly." >&2\nkill -TRAP $$`);
      const out = await launch({ ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':99', ELECTRON_RUN_AS_NODE: '1' }, { asNormalUser: true });
      expect(out).toMatch(new RegExp(String.raw`Electron did not keep running: Chromium's sandbox was refused .*\(fix: sudo chown root:root ${dist}/chrome-sandbox && sudo chmod 4755 ${dist}/chrome-sandbox\)\. Serving Studio in browser mode instead \(Electron's output: .*electron\.log\)\.`));
      const handed = Object.fromEntries(readFileSync(join(dist, 'env.txt'), 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      const landing = /Landing Page \(starter\):\s+(\S+)/.exec(out)![1]!;
      expect(handed.STUDIO_LAUNCHER_PLATFORM_URL).toBe(new URL(landing).origin);
      expect(handed.STUDIO_LAUNCHER_PLATFORM_TOKEN).toBeTruthy();
      expect(handed.ELECTRON_RUN_AS_NODE).toBeUndefined();
      expect(readFileSync(join(dir, 'data', 'logs', 'electron.log'), 'utf8')).toContain('SUID sandbox helper');
      // Browser mode serves the Landing Page from the same Platform.
      expect((await fetch(landing)).status).toBe(200);
    },
  );
});
