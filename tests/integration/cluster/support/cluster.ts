import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { cliArgs, exited, projectRoot, startCliPlatform } from '../../server/support/cli-platform.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres.js';

const run = promisify(execFile);

export interface Instance {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

/** Every instance gets the same Pandorabots API credentials, as an operator gives them (README, "Running a cluster"). */
export const CLUSTER_CREDENTIALS = { appId: 'uncluster1', userKey: '0123456789abcdef0123456789abcdef' };

/**
 * Platform instances as an operator runs them: each the CLI in its own process (so a test can kill -9 it), each with
 * its own data folder, all on one throwaway PostgreSQL.
 */
export class TestCluster {
  readonly instances: Instance[] = [];
  private readonly dirs: string[] = [];

  private constructor(
    readonly server: ThrowawayPostgres,
    readonly databaseUrl: string,
    private readonly extra: string[],
  ) {}

  static async start(count: number, extra: string[] = []): Promise<TestCluster> {
    const server = await startThrowawayPostgres();
    const cluster = new TestCluster(server, await server.createDatabase(), extra);
    try {
      // One first, so the schema is migrated and the starter bot stored once; the others start together.
      await cluster.add();
      await Promise.all(Array.from({ length: count - 1 }, () => cluster.add()));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  async add(): Promise<Instance> {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-instance-'));
    this.dirs.push(dir);
    const started = await startCliPlatform(dir, ['--database', this.databaseUrl, '--app-id', CLUSTER_CREDENTIALS.appId, '--user-key', CLUSTER_CREDENTIALS.userKey, ...this.extra]);
    const instance = { url: started.url, child: started.child, stderr: started.stderr };
    this.instances.push(instance);
    return instance;
  }

  /** `designer add NAME --database URL`, as an operator would: the token it prints. */
  async designer(name: string): Promise<string> {
    const { stdout } = await run(process.execPath, [...cliArgs, 'designer', 'add', name, '--database', this.databaseUrl], { cwd: projectRoot });
    return stdout.trim().split('\n').at(-1)!.trim();
  }

  /** kill -9: no shutdown, no goodbye to its sockets or the database. */
  async kill(instance: Instance): Promise<void> {
    instance.child.kill('SIGKILL');
    await exited(instance.child);
  }

  async stop(): Promise<void> {
    for (const i of this.instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGTERM');
    await Promise.all(this.instances.map((i) => exited(i.child)));
    await this.server.destroy();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A cluster of `count` instances for one describe block, with the designers Ada and Bob (their tokens), started before
 * its tests and stopped after them; clients passed to `track` are closed first.
 */
export function clusterForSuite(count: number, extra: string[] = []) {
  const open: Array<{ close(): Promise<unknown> }> = [];
  const suite = {
    cluster: undefined as unknown as TestCluster,
    ada: '',
    bob: '',
    track<T extends { close(): Promise<unknown> }>(client: T): T {
      open.push(client);
      return client;
    },
  };
  beforeAll(async () => {
    suite.cluster = await TestCluster.start(count, extra);
    [suite.ada, suite.bob] = [await suite.cluster.designer('Ada'), await suite.cluster.designer('Bob')];
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(open.map((c) => c.close()));
    await suite.cluster?.stop();
  });
  return suite;
}
