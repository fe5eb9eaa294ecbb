import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
async function launch(dir: string): Promise<{ lines: string[]; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'main/launch.ts', '--browser', '--no-open'], {
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
  return { lines: out.split('\n'), proc };
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
});
