import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../../main/launch-flags.js';

const REPO = resolve(import.meta.dirname, '../../..');

/** `npm start -- ARGS`, as the designer types it. */
function npmStart(args: string[]) {
  const run = spawnSync('npm', ['start', '--silent', '--', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, STUDIO_DATA_DIR: '/nonexistent-studio-data' }, timeout: 60_000 });
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
});
