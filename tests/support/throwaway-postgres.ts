import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Requirement } from './requirements.js';

/**
 * A PostgreSQL server of the tests' own: `initdb` in a temporary directory, trust authentication on 127.0.0.1, a free
 * port, fsync off (a test database never has to survive a power cut). Each test file (or each call) gets a fresh
 * database from `createDatabase()`. Torn down by `destroy()`, and also when the test process exits, even by SIGKILL
 * (a detached watchdog stops the server once the process that started it is gone).
 *
 * PostgreSQL refuses to run as root: as root the binaries run as the `postgres` user (Debian's package creates it).
 */

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin directory, or undefined. */
function findBinDir(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((v) => existsSync(join(POSTGRES_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(POSTGRES_ROOT, versions[0], 'bin');
}

const BIN_DIR = findBinDir();
const RUNNING_AS_ROOT = process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const POSTGRES_USER = RUNNING_AS_ROOT ? postgresUser() : undefined;

export const postgresInstalled: Requirement = {
  met: BIN_DIR !== undefined && (!RUNNING_AS_ROOT || POSTGRES_USER !== undefined),
  missing:
    BIN_DIR === undefined
      ? `PostgreSQL is not installed (no ${POSTGRES_ROOT}/*/bin/initdb; Debian: apt-get install postgresql)`
      : 'running as root and there is no postgres user to run PostgreSQL as (Debian: apt-get install postgresql)',
};

export interface ThrowawayPostgres {
  readonly host: string;
  readonly port: number;
  /** A new empty database; its connection URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut), keeping its data: the database is "lost". */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data. */
  startServer(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function run(binary: string, args: string[]): { status: number | null; output: string } {
  if (!BIN_DIR) throw new Error(postgresInstalled.missing);
  const command = RUNNING_AS_ROOT ? 'runuser' : join(BIN_DIR, binary);
  const argv = RUNNING_AS_ROOT ? ['-u', 'postgres', '--', join(BIN_DIR, binary), ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function runOrThrow(binary: string, args: string[]): void {
  const { status, output } = run(binary, args);
  if (status !== 0) throw new Error(`${binary} ${args.join(' ')} failed (${status}): ${output}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Stops the server and removes the directory once `pid` (this test process) is gone, however it ended. Detached, so it
 * outlives the process it watches; it polls once a second, which costs nothing measurable.
 */
function startWatchdog(pid: number, dir: string): void {
  const stop = RUNNING_AS_ROOT ? `runuser -u postgres -- ${BIN_DIR}/pg_ctl` : `${BIN_DIR}/pg_ctl`;
  const script = `while kill -0 ${pid} 2>/dev/null && [ -d '${dir}' ]; do sleep 1; done; ${stop} -D '${dir}/data' -m immediate stop >/dev/null 2>&1; rm -rf '${dir}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
}

let databaseCounter = 0;

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  if (!postgresInstalled.met) throw new Error(postgresInstalled.missing);
  const dir = mkdtempSync(join(tmpdir(), 'lts-postgres-'));
  const data = join(dir, 'data');
  if (POSTGRES_USER) {
    chownSync(dir, POSTGRES_USER.uid, POSTGRES_USER.gid);
    chmodSync(dir, 0o700);
  }
  const host = '127.0.0.1';
  const port = await freePort();
  runOrThrow('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const settings = [
    `listen_addresses = '${host}'`,
    `port = ${port}`,
    // The socket goes into our directory: the default /var/run/postgresql may not exist or be writable.
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 200',
    'shared_buffers = 32MB',
  ];
  writeFileSync(join(data, 'postgresql.auto.conf'), `${settings.join('\n')}\n`);
  if (POSTGRES_USER) chownSync(join(data, 'postgresql.auto.conf'), POSTGRES_USER.uid, POSTGRES_USER.gid);

  let running = false;
  const startServer = async (): Promise<void> => {
    if (running) return;
    runOrThrow('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    running = true;
  };
  const stopServer = async (): Promise<void> => {
    if (!running) return;
    runOrThrow('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  const teardown = (): void => {
    if (running) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    running = false;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', teardown);
  startWatchdog(process.pid, dir);
  await startServer();

  const admin = `postgres://postgres@${host}:${port}/postgres`;
  return {
    host,
    port,
    async createDatabase() {
      const name = `test_${process.pid}_${++databaseCounter}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@${host}:${port}/${name}`;
    },
    stopServer,
    startServer,
    async destroy() {
      process.removeListener('exit', teardown);
      teardown();
    },
  };
}
