import { describe, expect, it } from 'vitest';
import { RerunPerKey } from '../../../server/rerun-per-key.js';

describe('one run per key, once more when asked meanwhile', () => {
  it('coalesces requests made during a run into one more run, per key, and reports a failure', async () => {
    const runs: string[] = [];
    const errors: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reruns = new RerunPerKey(
      async (key) => {
        runs.push(key);
        if (runs.length === 1) await gate;
        if (key === 'bad') throw new Error('no');
      },
      (_error, key) => errors.push(key),
    );
    const first = reruns.request('a');
    void reruns.request('a');
    void reruns.request('a');
    void reruns.request('b');
    expect(reruns.isRunning('a')).toBe(true);
    release();
    await first;
    await reruns.settled();
    expect(runs).toEqual(['a', 'b', 'a']);
    await reruns.request('bad');
    expect(errors).toEqual(['bad']);
    expect(reruns.size).toBe(0);
  });
});
