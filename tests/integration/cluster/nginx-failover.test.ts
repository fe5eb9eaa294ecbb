import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { needing, type Requirement } from '../../support/requirements.js';
import { postgresInstalled } from '../../support/throwaway-postgres.js';
import { exited } from '../server/support/cli-platform.js';
import { ChatClient } from '../server/support/clients.js';
import { TestCluster, type Instance } from './support/cluster.js';

const NGINX = '/usr/sbin/nginx';
const nginxInstalled: Requirement = { met: existsSync(NGINX), missing: `nginx is not installed (${NGINX}; Debian: apt-get install nginx)` };
const SAMPLE = resolve(import.meta.dirname, '../../../docs/cluster/nginx.conf');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** The sample configuration as documented, with only its listen port and upstream servers changed. */
function configFor(port: number, instances: Instance[]): string {
  const sample = readFileSync(SAMPLE, 'utf8');
  const upstream = instances.map((i) => `    server ${new URL(i.url).host} max_fails=1 fail_timeout=5s;`).join('\n');
  const config = sample.replace(/^ {4}server 127\.0\.0\.1:808\d .*\n(?: {4}server 127\.0\.0\.1:808\d .*\n)*/m, `${upstream}\n`).replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
  if (config === sample || !config.includes(upstream)) throw new Error('the sample nginx.conf no longer has the upstream servers and listen line this test replaces');
  return config;
}

/** The instance whose id is in this process's "cluster: joined" log line. */
const instanceIdOf = (instance: Instance) => /"instanceId":"([^"]+)","msg":"cluster: joined"/.exec(instance.stderr())?.[1];

describe.skipIf(!postgresInstalled.met || !nginxInstalled.met)(needing('nginx in front of a cluster', postgresInstalled, nginxInstalled), () => {
  let cluster: TestCluster;
  let prefix: string;
  let nginx: ChildProcess;
  let proxy: string;
  let nginxOutput = '';
  const open: ChatClient[] = [];

  beforeAll(async () => {
    // As the sample's header says: the instances believe nginx's X-Forwarded-For.
    cluster = await TestCluster.start(2, ['--trust-proxy', '127.0.0.1']);
    prefix = mkdtempSync(join(tmpdir(), 'nginx-'));
    mkdirSync(join(prefix, 'logs'));
    const port = await freePort();
    writeFileSync(join(prefix, 'nginx.conf'), configFor(port, cluster.instances));
    nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${join(prefix, 'nginx.pid')}; error_log stderr;`], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout!.on('data', (d) => (nginxOutput += d));
    nginx.stderr!.on('data', (d) => (nginxOutput += d));
    proxy = `http://127.0.0.1:${port}`;
    await vi.waitFor(async () => expect((await fetch(`${proxy}/healthz`)).status).toBe(200), { timeout: 20_000, interval: 100 });
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(open.map((c) => c.close()));
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGQUIT');
      await exited(nginx);
    }
    await cluster?.stop();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('a widget conversation through the proxy carries on, predicates and history included, after the instance serving it is killed', async () => {
    const origin = 'https://shop.example';
    const user = await ChatClient.connect(proxy, 'starter', { channel: 'widget', origin });
    open.push(user);
    await user.say('My name is Dora');
    await user.waitForMessage((m) => m.text === 'Nice to meet you, Dora.', 'the bot took the name', 15_000);

    // Which instance holds the socket: its presence row names it.
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ instance_id: string }>('SELECT instance_id FROM conversation_presence WHERE open > 0');
    await db.end();
    expect(rows).toHaveLength(1);
    const serving = cluster.instances.find((i) => instanceIdOf(i) === rows[0]!.instance_id);
    expect(serving, `no instance logged the id ${rows[0]!.instance_id}`).toBeDefined();

    const dropped = new Promise<void>((r) => user.ws.once('close', () => r()));
    await cluster.kill(serving!);
    await dropped;

    // The widget reconnects to the address it uses, the proxy's, with its session key: the same conversation.
    const again = await ChatClient.connect(proxy, 'starter', { channel: 'widget', origin, session: user.session });
    open.push(again);
    expect(again.welcome.messages.map((m) => m.text)).toContain('Nice to meet you, Dora.');
    await again.say('What is my name');
    await again.waitForMessage((m) => m.text === 'Your name is Dora.', 'the bot remembers Dora', 15_000);
    expect(nginxOutput).not.toMatch(/\[emerg\]/);
  });
});
