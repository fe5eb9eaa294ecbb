import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../../main/launch-flags.js';

const REPO = resolve(import.meta.dirname, '../../..');

/** `npm start -- ARGS`, as the designer types it. */
function npmStart(args: string[], dataDir = '/nonexistent-studio-data') {
  const run = spawnSync('npm', ['start', '--silent', '--', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, STUDIO_DATA_DIR: dataDir }, timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('npm start, before anything is built', () => {
  it('--help prints the usage and nothing else: no build, no Studio', () => {
    const { code, out, err } = npmStart(['--help']);
    expect(code).toBe(0);
    expect(out.trim()).toBe(USAGE);
    expect(out + err).not.toMatch(/Building|vite|Log file/);
  });

  it('an unknown option is refused at once with the usage, without building', () => {
    const { code, out, err } = npmStart(['--prot', '8080']);
    expect(code).toBe(1);
    expect(err).toContain('Unknown option --prot.');
    expect(err).toContain('Usage: npm start --');
    expect(out + err).not.toMatch(/Building/);
  });

  it('a second start while Studio runs points to it at once, without a build that would empty out/ under the running one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'studio-start-'));
    const first: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'main/launch.ts', '--browser', '--no-open'], { cwd: REPO, env: { ...process.env, STUDIO_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'ignore'] });
    running = { proc: first, dataDir };
    let out = '';
    await new Promise<void>((ok, fail) => {
      first.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('Press Ctrl-C to stop.')) ok();
      });
      first.on('exit', (code) => fail(new Error(`launcher exited with ${code}: ${out}`)));
    });
    const studioUrl = /Studio \(browser mode\):\s+(\S+)/.exec(out)![1];
    const second = npmStart(['--no-open'], dataDir);
    expect(second.code).toBe(0);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(second.out.trim()).toMatch(new RegExp(`^Studio is already running for ${escape(dataDir)} \\(pid ${first.pid}, since \\d\\d:\\d\\d UTC\\): open ${escape(studioUrl!)}$`));
    expect(second.out + second.err).not.toMatch(/Building/);
  });
});

let running: { proc: ChildProcess; dataDir: string } | undefined;
afterEach(() => {
  if (running?.proc.exitCode === null) running.proc.kill('SIGKILL');
  if (running) rmSync(running.dataDir, { recursive: true, force: true });
  running = undefined;
});
