import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const REPO = resolve(import.meta.dirname, '../../..');
let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  child = dataDir = undefined;
});

/** Runs the `npm start` entry from source in browser mode and collects what it prints until it is ready. */
async function launch(dir: string, extra: string[] = []): Promise<{ lines: string[]; proc: ChildProcess; stderr: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'main/launch.ts', '--browser', '--no-open', ...extra], {
    cwd: REPO,
    env: { ...process.env, STUDIO_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`launcher not ready after 45 s.\nstdout: ${out}\nstderr: ${err}`)), 45_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        ok();
      }
    });
    proc.on('exit', (code) => fail(new Error(`launcher exited with ${code}.\nstdout: ${out}\nstderr: ${err}`)));
  });
  return { lines: out.split('\n'), proc, stderr: () => err };
}

/** Ctrl-C, and waits for the launcher to exit; resolves with its exit code. */
async function stopWithCtrlC(proc: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)));
  proc.kill('SIGINT');
  return exited;
}

/** Runs the launcher to its end (for a start that is expected to stop by itself) and returns its output. */
async function runToEnd(dir: string): Promise<{ code: number | null; out: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'main/launch.ts', '--browser', '--no-open'], { cwd: REPO, env: { ...process.env, STUDIO_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((ok) => proc.on('exit', ok));
  return { code, out };
}

function value(lines: string[], label: string): string {
  const line = lines.find((l) => l.startsWith(label));
  if (!line) throw new Error(`no "${label}" line in:\n${lines.join('\n')}`);
  return line.slice(label.length).trim();
}

describe('npm start (browser mode)', () => {
  it('starts a local Platform with the starter bot and Studio connected to it, prints where everything is, and stops cleanly on Ctrl-C', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'studio-launch-'));
    const { lines, proc } = await launch(dataDir);
    const landing = value(lines, 'Landing Page (starter):');
    const studioUrl = value(lines, 'Studio (browser mode):');
    expect(value(lines, 'Workspace folder:')).toBe(join(dataDir, 'workspace'));
    expect(landing).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/chat\/starter$/);
    expect(studioUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+$/);

    const page = await fetch(landing);
    expect(page.status).toBe(200);

    const url = new URL(studioUrl);
    const ws = new WebSocket(`ws://${url.host}/studio-api${url.search}`, { origin: url.origin });
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    const reply = new Promise<{ result: { link: { status: string; embedded: boolean }; bots: { name: string }[] } }>((ok) =>
      ws.on('message', (d) => {
        const frame = JSON.parse(d.toString());
        if (frame.id === 1) ok(frame);
      }),
    );
    ws.send(JSON.stringify({ id: 1, method: 'app.state', args: {} }));
    const state = (await reply).result;
    expect(state.link).toMatchObject({ status: 'online', embedded: true });
    expect(state.bots.map((b) => b.name)).toContain('starter');
    ws.close();

    // The local designer's token is kept for the owner only, beside the Platform's data in the app-data folder.
    const local = join(dataDir, 'platform', 'studio-designer.json');
    expect(statSync(local).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(local, 'utf8')).token).toBeTruthy();

    const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('keeps the Landing Page and Studio URLs (port and key) across a restart, and prints only human lines, the JSON log going to a file', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'studio-launch-'));
    const first = await launch(dataDir);
    const landing = value(first.lines, 'Landing Page (starter):');
    const studioUrl = value(first.lines, 'Studio (browser mode):');
    const logFile = value(first.lines, 'Log file:');
    expect(logFile).toBe(join(dataDir, 'logs', 'studio.log'));
    expect(await stopWithCtrlC(first.proc)).toBe(0);
    for (const line of [...first.lines, ...first.stderr().split('\n')]) expect(line.trimStart().startsWith('{')).toBe(false);
    // The Platform did log (its start), to the file, as JSON.
    const logged = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(() => logged.map((l) => JSON.parse(l))).not.toThrow();

    const second = await launch(dataDir);
    expect(value(second.lines, 'Landing Page (starter):')).toBe(landing);
    expect(value(second.lines, 'Studio (browser mode):')).toBe(studioUrl);
    expect(second.lines.join('\n')).not.toMatch(/is taken by another program/);
    expect(await stopWithCtrlC(second.proc)).toBe(0);
  });

  it('a second start on the same data folder does not open the database again: it points to the running Studio and ends', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'studio-launch-'));
    const first = await launch(dataDir);
    const studioUrl = value(first.lines, 'Studio (browser mode):');
    const again = await runToEnd(dataDir);
    expect(again.code).toBe(0);
    expect(again.out.trim()).toMatch(new RegExp(`^Studio is already running for ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid ${first.proc.pid}, since \\d\\d:\\d\\d UTC\\): open ${studioUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    // The first one is unharmed.
    expect((await fetch(value(first.lines, 'Landing Page (starter):'))).status).toBe(200);
    expect(await stopWithCtrlC(first.proc)).toBe(0);
    // Stopped cleanly, it lets the folder go: the next start runs.
    const third = await launch(dataDir);
    expect(value(third.lines, 'Studio (browser mode):')).toBe(studioUrl);
    expect(await stopWithCtrlC(third.proc)).toBe(0);
  });

  it('says so when last time\'s ports are taken, and serves on free ones', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'studio-launch-'));
    const first = await launch(dataDir);
    const landing = new URL(value(first.lines, 'Landing Page (starter):'));
    const studio = new URL(value(first.lines, 'Studio (browser mode):'));
    expect(await stopWithCtrlC(first.proc)).toBe(0);
    const blockers = await Promise.all([Number(landing.port), Number(studio.port)].map((port) => new Promise<Server>((ok, fail) => {
      const s = createServer();
      s.once('error', fail);
      s.listen(port, '127.0.0.1', () => ok(s));
    })));
    try {
      const second = await launch(dataDir);
      const text = second.lines.join('\n');
      expect(text).toContain(`The local Platform's port from last time, ${landing.port}, is taken by another program`);
      expect(text).toContain(`Studio's port from last time, ${studio.port}, is taken by another program`);
      const moved = new URL(value(second.lines, 'Studio (browser mode):'));
      expect(moved.port).not.toBe(studio.port);
      expect(moved.search).toBe(studio.search); // same key
      expect(await stopWithCtrlC(second.proc)).toBe(0);
    } finally {
      for (const b of blockers) await new Promise((r) => b.close(r));
    }
  });

  it('--verbose puts the JSON log on the terminal (stderr) instead of a file', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'studio-launch-'));
    const { lines, proc, stderr } = await launch(dataDir, ['--verbose']);
    expect(lines.some((l) => l.startsWith('Log file:'))).toBe(false);
    const json = stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
    expect(json.map((j) => j.msg)).toContain('Platform listening');
    expect(existsSync(join(dataDir, 'logs', 'studio.log'))).toBe(false);
    expect(await stopWithCtrlC(proc)).toBe(0);
  });
});
