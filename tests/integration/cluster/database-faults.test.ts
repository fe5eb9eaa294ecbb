import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { needing } from '../../support/requirements.js';
import { postgresInstalled } from '../../support/throwaway-postgres.js';
import { cliArgs, projectRoot } from '../server/support/cli-platform.js';
import { TestCluster } from './support/cluster.js';

const run = promisify(execFile);

/** What an operator sees when PostgreSQL is not there: at start, and while running. */

describe('an unreachable database at start', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'unreachable-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const url = 'postgres://platform:secret@127.0.0.1:1/platform';

  it('the Platform says so in one line naming the address (never the password) and exits non-zero', async () => {
    const failed = await run(process.execPath, [...cliArgs, '--port', '0', '--data', dir, '--database', url, '--log-level', 'silent'], { cwd: projectRoot }).then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const lines = failed!.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^The Platform could not start: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    expect(failed!.stderr).not.toContain('secret');
    expect(failed!.stdout).not.toContain('Platform listening');
  });

  it('so does a CLI command, and PLATFORM_DATABASE_URL works as --database does', async () => {
    const failed = await run(process.execPath, [...cliArgs, 'designer', 'add', 'Ada'], { cwd: projectRoot, env: { ...process.env, PLATFORM_DATABASE_URL: url } }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed!.stderr.trim()).toMatch(/^designer failed: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
  });

  it('a --database that is not a PostgreSQL URL is a usage error, not a silent fall back to SQLite', async () => {
    const failed = await run(process.execPath, [...cliArgs, 'designer', 'list', '--database', 'mysql://x@y/z'], { cwd: projectRoot }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed!.stderr).toContain('--database must be a PostgreSQL URL, postgres://USER:PASS@HOST:PORT/DB');
  });
});

describe.skipIf(!postgresInstalled.met)(needing('a database lost while running', postgresInstalled), () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start(1);
  }, 120_000);
  afterAll(() => cluster?.stop());

  const readyz = async () => (await fetch(`${cluster.instances[0]!.url}/readyz`)).status;

  it('/readyz reports not-ready while PostgreSQL is gone and ready again once it is back, by itself', async () => {
    expect(await readyz()).toBe(200);
    await cluster.server.stopServer();
    await vi.waitFor(async () => expect(await readyz()).toBe(503), { timeout: 20_000, interval: 100 });
    expect((await fetch(`${cluster.instances[0]!.url}/healthz`)).status).toBe(200);
    await cluster.server.startServer();
    await vi.waitFor(async () => expect(await readyz()).toBe(200), { timeout: 20_000, interval: 100 });
  });
});
