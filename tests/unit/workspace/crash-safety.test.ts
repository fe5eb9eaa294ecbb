import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCategories } from '../../../aiml/index.js';
import { isTempFileName } from '../../../node-lib/atomic-write.js';
import { LiveTrainingStore } from '../../../main/workspace/live-training-store.js';
import { botWorkspace } from '../../../main/workspace/workspace-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lts-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const REPO = resolve(import.meta.dirname, '../../..');

/** Runs the write loop, which kills itself during its write in round `killInRound`; returns the rounds it completed. */
async function killMidWrite(workspaceDir: string, killInRound: number): Promise<{ completed: number; started: number; signal: string | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'tests/unit/workspace/support/write-loop.ts'), workspaceDir, String(killInRound)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  let completed = 0;
  let started = 0;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [what, n] = line.split(' ');
      if (what === 'wrote') completed = Number(n);
      if (what === 'begin') started = Number(n);
    }
  });
  const signal = await new Promise<string | null>((done, fail) => {
    child.on('exit', (_code, sig) => done(sig));
    child.on('error', fail);
  });
  return { completed, started, signal };
}

describe('crash safety of workspace writes', () => {
  it('a Studio killed in the middle of writing leaves the previous file whole and valid, and the next start clears the leftovers', async () => {
    const workspaceDir = join(dir, 'workspace');
    const { completed, started, signal } = await killMidWrite(workspaceDir, 3);
    expect(signal).toBe('SIGKILL');
    expect(started).toBe(3);
    const files = botWorkspace(workspaceDir, 'starter');
    const xml = readFileSync(files.aimlFile, 'utf8');
    const parsed = parseCategories(xml, 'pand_livetraining.aiml');
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.categories).toHaveLength(20_001);
    // The marker is from the last completed round, or from the one in flight if its rename got through.
    const round = Number(/^Round (\d+)$/.exec(parsed.categories.find((c) => c.pattern === 'ROUND')!.template)![1]);
    expect([completed, started]).toContain(round);

    const store = new LiveTrainingStore({ bot: 'starter', ...files });
    expect(await store.read()).toHaveLength(20_001);
    expect(readdirSync(files.dir).filter(isTempFileName)).toEqual([]);
  }, 30_000);

  it('never leaves a partly written file after a refused change (invalid AIML writes nothing)', async () => {
    const files = botWorkspace(dir, 'starter');
    const store = new LiveTrainingStore({ bot: 'starter', ...files });
    await store.update((c) => void c.set('HI\u0000*\u0000*', { pattern: 'HI', that: '*', topic: '*', template: 'Hello.' }));
    const before = readFileSync(files.aimlFile, 'utf8');
    await expect(store.update((c) => void c.set('BAD\u0000*\u0000*', { pattern: 'BAD', that: '*', topic: '*', template: '<think>unclosed' }))).rejects.toThrow(/template/);
    expect(readFileSync(files.aimlFile, 'utf8')).toBe(before);
    expect(existsSync(files.aimlFile)).toBe(true);
    expect(await store.read()).toHaveLength(1);
  });
});
