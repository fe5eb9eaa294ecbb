import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { electronEnv, HANDOFF_TOKEN, HANDOFF_URL, superviseElectron, type ElectronEnd } from '../../../main/electron-run.js';
import { locateElectron, type ElectronBinary } from '../../../main/electron-binary.js';
import { electronFirst } from '../../../main/electron-first.js';
import { explainElectronExit, whyElectronCannotStart, type ElectronHostFacts, type ElectronTrouble } from '../../../main/electron-start-check.js';
import { HANDOFF_TOKEN as ELECTRON_SIDE_TOKEN, HANDOFF_URL as ELECTRON_SIDE_URL } from '../../../electron/launcher-handoff.js';
import { ManualClock } from '../../support/manual-clock.js';

const desktop: ElectronHostFacts = { platform: 'linux', env: { DISPLAY: ':0' }, uid: 1000, userNamespacesRestricted: false };

describe('before starting Electron: what would make it die at once', () => {
  it('finds nothing wrong on a Linux desktop, on macOS or on Windows', () => {
    expect(whyElectronCannotStart(desktop)).toBeUndefined();
    expect(whyElectronCannotStart({ ...desktop, env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBeUndefined();
    expect(whyElectronCannotStart({ platform: 'darwin', env: {}, uid: 0, userNamespacesRestricted: false })).toBeUndefined();
    expect(whyElectronCannotStart({ platform: 'win32', env: {}, uid: undefined, userNamespacesRestricted: false })).toBeUndefined();
  });

  it('no display: says so, with the fix', () => {
    expect(whyElectronCannotStart({ ...desktop, env: {} })).toEqual({
      reason: 'there is no display to open its window on (DISPLAY and WAYLAND_DISPLAY are not set)',
      fix: 'run npm start in a desktop session (or ssh -X)',
    });
  });

  it('running as root: Chromium refuses, and the sandbox is not switched off to get past it', () => {
    expect(whyElectronCannotStart({ ...desktop, uid: 0 })).toEqual({ reason: 'Chromium refuses to run as root with its sandbox on', fix: 'run npm start as a normal user' });
  });

  it("Ubuntu 24.04's AppArmor with a chrome-sandbox that is not set-uid root: gives the two commands that fix it", () => {
    const helper = { path: '/repo/node_modules/electron/dist/chrome-sandbox', uid: 1000, mode: 0o100755 };
    const trouble = whyElectronCannotStart({ ...desktop, userNamespacesRestricted: true, sandboxHelper: helper });
    expect(trouble?.reason).toMatch(/AppArmor/);
    expect(trouble?.fix).toBe(`sudo chown root:root ${helper.path} && sudo chmod 4755 ${helper.path}`);
    // Set up as Chromium wants it, or namespaces allowed: nothing to say.
    expect(whyElectronCannotStart({ ...desktop, userNamespacesRestricted: true, sandboxHelper: { ...helper, uid: 0, mode: 0o104755 } })).toBeUndefined();
    expect(whyElectronCannotStart({ ...desktop, userNamespacesRestricted: false, sandboxHelper: helper })).toBeUndefined();
  });
});

describe('after Electron ended: why, from its exit and its output', () => {
  it('recognises the sandbox, display and root failures in what Chromium printed', () => {
    const sandbox = '[123:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly.';
    expect(explainElectronExit({ code: null, signal: 'SIGTRAP', early: true }, sandbox, '/opt/e/chrome-sandbox').fix).toBe('sudo chown root:root /opt/e/chrome-sandbox && sudo chmod 4755 /opt/e/chrome-sandbox');
    expect(explainElectronExit({ code: 1, signal: null, early: true }, 'Missing X server or $DISPLAY').reason).toBe('there is no display to open its window on');
    expect(explainElectronExit({ code: 1, signal: null, early: true }, 'Running as root without --no-sandbox is not supported.').fix).toBe('run npm start as a normal user');
  });

  it('otherwise reports the code or the signal and its last line of output', () => {
    expect(explainElectronExit({ code: null, signal: 'SIGSEGV', early: false }, 'a\nGPU process crashed\n\n')).toEqual({ reason: 'it was ended by SIGSEGV; its last words: "GPU process crashed"' });
    expect(explainElectronExit({ code: 3, signal: null, early: true }, '')).toEqual({ reason: 'it exited with code 3 while starting' });
  });
});

describe('handing the local Platform to Electron', () => {
  it('passes its URL and token under the names electron/launcher-handoff.ts reads, and drops ELECTRON_RUN_AS_NODE', () => {
    expect([HANDOFF_URL, HANDOFF_TOKEN]).toEqual([ELECTRON_SIDE_URL, ELECTRON_SIDE_TOKEN]);
    const env = electronEnv({ PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' }, { url: 'http://127.0.0.1:4321', token: 't0k' });
    expect(env).toEqual({ PATH: '/bin', [HANDOFF_URL]: 'http://127.0.0.1:4321', [HANDOFF_TOKEN]: 't0k' });
  });

  it('hands nothing over when there is no local Platform, not even a stale hand-off from the environment', () => {
    expect(electronEnv({ PATH: '/bin', [HANDOFF_URL]: 'http://old', [HANDOFF_TOKEN]: 'old' }, undefined)).toEqual({ PATH: '/bin' });
  });
});

class FakeElectron extends EventEmitter {
  stdout = new PassThrough();
  stderr = new PassThrough();
  end(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.emit('exit', code, signal);
    this.stdout.end();
    this.stderr.end();
    this.emit('close', code, signal);
  }
}

function supervise(o: { stopping?: () => boolean } = {}) {
  const clock = new ManualClock();
  const child = new FakeElectron();
  const output: string[] = [];
  const end = superviseElectron(child as unknown as ChildProcess, { clock, stopRequested: o.stopping ?? (() => false), onOutput: (c) => output.push(c.toString()) });
  return { clock, child, end, output };
}

describe('watching Electron run', () => {
  it('a window closed by the designer after it started is a normal end', async () => {
    const { clock, child, end } = supervise();
    clock.advance(60_000);
    child.end(0);
    expect(await end).toEqual<ElectronEnd>({ kind: 'closed' });
  });

  it('ending in the first seconds, even with code 0, is a failed start', async () => {
    const { clock, child, end } = supervise();
    clock.advance(2_000);
    child.end(0);
    expect(await end).toEqual({ kind: 'failed', trouble: { reason: 'it closed right after starting' } });
  });

  it('a crash later (signal or error code) is a failure too, with its reason, and its output is passed on', async () => {
    const { clock, child, end, output } = supervise();
    clock.advance(120_000);
    child.stderr.write('[9:FATAL:gpu_init.cc] GPU init failed\n');
    await new Promise((r) => setImmediate(r));
    child.end(null, 'SIGABRT');
    expect(await end).toEqual({ kind: 'failed', trouble: { reason: 'it was ended by SIGABRT; its last words: "[9:FATAL:gpu_init.cc] GPU init failed"' } });
    expect(output.join('')).toContain('GPU init failed');
  });

  it('after Ctrl-C any end is a normal one', async () => {
    let stopping = false;
    const { child, end } = supervise({ stopping: () => stopping });
    stopping = true;
    child.end(null, 'SIGINT');
    expect(await end).toEqual({ kind: 'closed' });
  });

  it('an executable that cannot be spawned is a failure that says why', async () => {
    const { child, end } = supervise();
    child.emit('error', Object.assign(new Error('spawn /x/electron EACCES'), { code: 'EACCES' }));
    expect(await end).toEqual({ kind: 'failed', trouble: { reason: 'it could not be started (spawn /x/electron EACCES)' } });
  });

  it('decides a second after the exit even if a helper process keeps its output open', async () => {
    const { clock, child, end } = supervise();
    child.emit('exit', 1, null);
    clock.advance(1_000);
    expect(await end).toEqual({ kind: 'failed', trouble: { reason: 'it exited with code 1 while starting' } });
  });
});

describe('Electron first, browser mode when it cannot be', () => {
  function attempt(o: { locate?: ElectronBinary; trouble?: ElectronTrouble; end?: ElectronEnd }) {
    const said: string[] = [];
    const ran: string[] = [];
    const result = electronFirst({
      locate: () => o.locate ?? { found: true, path: '/e/electron' },
      check: () => o.trouble,
      run: async (executable) => {
        ran.push(executable);
        return o.end ?? { kind: 'closed' };
      },
      say: (line) => said.push(line),
      electronLog: '/data/logs/electron.log',
    });
    return { result, said, ran };
  }

  it('runs Electron when it is there and nothing stands in its way; closing it ends npm start', async () => {
    const a = attempt({});
    expect(await a.result).toBe('closed');
    expect(a.ran).toEqual(['/e/electron']);
    expect(a.said).toEqual([]);
  });

  it('no binary: one line and browser mode at once, nothing run', async () => {
    const a = attempt({ locate: { found: false, reason: 'its binary has not been downloaded' } });
    expect(await a.result).toBe('browser');
    expect(a.ran).toEqual([]);
    expect(a.said).toEqual(['Electron is not available (its binary has not been downloaded): serving Studio in browser mode instead.']);
  });

  it('a known obstacle: the reason and the fix, and Electron is not tried', async () => {
    const a = attempt({ trouble: { reason: 'Chromium refuses to run as root with its sandbox on', fix: 'run npm start as a normal user' } });
    expect(await a.result).toBe('browser');
    expect(a.ran).toEqual([]);
    expect(a.said).toEqual(['Electron cannot start here: Chromium refuses to run as root with its sandbox on (fix: run npm start as a normal user). Serving Studio in browser mode instead.']);
  });

  it('a failed start: why, where its output is, and browser mode', async () => {
    const a = attempt({ end: { kind: 'failed', trouble: { reason: 'it was ended by SIGTRAP while starting' } } });
    expect(await a.result).toBe('browser');
    expect(a.said).toEqual(["Electron did not keep running: it was ended by SIGTRAP while starting. Serving Studio in browser mode instead (Electron's output: /data/logs/electron.log)."]);
  });
});

describe('finding Electron', () => {
  it('honours ELECTRON_OVERRIDE_DIST_PATH as Electron’s package does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-electron-'));
    try {
      mkdirSync(join(dir, 'node_modules', 'electron'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'electron', 'package.json'), '{}');
      mkdirSync(join(dir, 'custom'));
      const name = process.platform === 'win32' ? 'electron.exe' : 'electron';
      expect(locateElectron(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'custom') })).toEqual({ found: false, reason: `its binary is missing (${join(dir, 'custom', name)})` });
      writeFileSync(join(dir, 'custom', name), '');
      expect(locateElectron(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'custom') })).toEqual({ found: true, path: join(dir, 'custom', name) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
