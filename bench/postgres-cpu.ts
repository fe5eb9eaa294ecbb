/**
 * The CPU a PostgreSQL server on this machine spends, read from /proc: on 2 shared cores the database takes its share
 * of what the Platform instances could use, so the bench reports it beside theirs. The server is found through a
 * backend of our own connection (its parent is the postmaster); its children are the backends and workers, and the
 * postmaster's reaped-children times count the backends that ended. Linux only; elsewhere, or for a remote
 * server, it measures nothing (undefined).
 */
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node runs on

interface Stat {
  ppid: number;
  /** utime + stime (+ cutime + cstime when asked), in ticks. */
  ticks: number;
}

function stat(pid: number, withChildren: boolean): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i - 3]);
    return { ppid: n(4), ticks: n(14) + n(15) + (withChildren ? n(16) + n(17) : 0) };
  } catch {
    return undefined;
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

export async function findPostmaster(databaseUrl: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // A remote server's backend pid names some unrelated process here, or none: both must be PostgreSQL's.
    const backend = rows[0]!.pid;
    const postmaster = stat(backend, false)?.ppid;
    return postmaster !== undefined && isPostgres(backend) && isPostgres(postmaster) ? postmaster : undefined;
  } finally {
    await client.end();
  }
}

/** CPU seconds spent so far by the postmaster and its current children. */
export function postgresCpuSeconds(postmaster: number): number | undefined {
  const own = stat(postmaster, true);
  if (!own) return undefined;
  let ticks = own.ticks;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmaster) continue;
    const child = stat(pid, false);
    if (child?.ppid === postmaster) ticks += child.ticks;
  }
  return ticks / TICKS_PER_SECOND;
}
