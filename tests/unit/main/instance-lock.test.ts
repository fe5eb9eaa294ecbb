import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alreadyRunningLine, claimInstance, findRunningStudio, LOCK_FILE, type InstanceLockDeps, type RunningStudio } from '../../../main/instance-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const alive = new Set<number>();
const answering = new Set<string>();
function deps(pid: number): InstanceLockDeps {
  return { pid, now: () => new Date('2026-12-06T06:30:00Z'), isAlive: (p) => alive.has(p), answers: async (url) => answering.has(url) };
}
afterEach(() => {
  alive.clear();
  answering.clear();
});

describe('one Studio per data folder', () => {
  it('the first start claims the folder (owner-only file) and records where it can be reached', async () => {
    const claim = await claimInstance(dir, deps(100));
    if (!claim.claimed) throw new Error('not claimed');
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o077).toBe(0);
    await claim.lock.update({ mode: 'browser', studioUrl: 'http://127.0.0.1:5000/?key=k', platformUrl: 'http://127.0.0.1:6000' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toEqual({
      pid: 100,
      startedAt: '2026-12-06T06:30:00.000Z',
      mode: 'browser',
      studioUrl: 'http://127.0.0.1:5000/?key=k',
      platformUrl: 'http://127.0.0.1:6000',
    });
  });

  it('a second start while the first runs gets the first one back, and the folder stays the first one’s', async () => {
    const first = await claimInstance(dir, deps(100));
    if (!first.claimed) throw new Error('not claimed');
    await first.lock.update({ mode: 'browser', studioUrl: 'http://127.0.0.1:5000/?key=k', platformUrl: 'http://127.0.0.1:6000' });
    alive.add(100);
    answering.add('http://127.0.0.1:6000');
    const second = await claimInstance(dir, deps(200));
    expect(second).toMatchObject({ claimed: false, running: { pid: 100, studioUrl: 'http://127.0.0.1:5000/?key=k' } });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(100);
  });

  it('a first start that has no address yet still counts as running', async () => {
    await claimInstance(dir, deps(100));
    alive.add(100);
    expect(await claimInstance(dir, deps(200))).toMatchObject({ claimed: false, running: { pid: 100, mode: 'starting' } });
  });

  it('takes over a folder left by a Studio that was killed (pid gone)', async () => {
    await claimInstance(dir, deps(100));
    const second = await claimInstance(dir, deps(200));
    expect(second.claimed).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(200);
  });

  it('takes over when the pid now belongs to another program (nothing answers at the recorded address)', async () => {
    const first = await claimInstance(dir, deps(100));
    if (!first.claimed) throw new Error('not claimed');
    await first.lock.update({ mode: 'electron', platformUrl: 'http://127.0.0.1:6000' });
    alive.add(100);
    expect((await claimInstance(dir, deps(200))).claimed).toBe(true);
  });

  it('can be asked without claiming (npm start asks before building)', async () => {
    expect(await findRunningStudio(dir, deps(200))).toBeUndefined();
    await claimInstance(dir, deps(100));
    expect(await findRunningStudio(dir, deps(200))).toBeUndefined(); // pid 100 is not alive
    alive.add(100);
    expect(await findRunningStudio(dir, deps(200))).toMatchObject({ pid: 100 });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(100);
  });

  it('takes over an unreadable file', async () => {
    writeFileSync(join(dir, LOCK_FILE), '{"pid": ');
    expect((await claimInstance(dir, deps(200))).claimed).toBe(true);
  });

  it('releasing removes the file only while it is still ours', async () => {
    const first = await claimInstance(dir, deps(100));
    if (!first.claimed) throw new Error('not claimed');
    first.lock.release();
    expect(() => statSync(join(dir, LOCK_FILE))).toThrow();
    const second = await claimInstance(dir, deps(200));
    first.lock.release();
    expect(second.claimed).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(200);
  });

  it('the line for the second start points to the running Studio', () => {
    const base: RunningStudio = { pid: 100, startedAt: '2026-12-06T06:30:00.000Z', mode: 'browser', studioUrl: 'http://127.0.0.1:5000/?key=k' };
    expect(alreadyRunningLine(base, '/data')).toBe('Studio is already running for /data (pid 100, since 06:30 UTC): open http://127.0.0.1:5000/?key=k');
    expect(alreadyRunningLine({ ...base, mode: 'electron', studioUrl: undefined }, '/data')).toMatch(/in its window \(pid 100, since 06:30 UTC\): switch to it/);
  });
});
