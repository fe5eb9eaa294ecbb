import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatServerFrame } from '../../../protocol/chat-wire.js';
import { hashToken } from '../../../server/designers/designer-accounts.js';
import { SharedRateLimit } from '../../../server/limits/shared-rate-limit.js';
import { startPlatform, type RunningPlatform } from '../../../server/platform.js';
import { ManualClock } from '../../support/manual-clock.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';
import { ChatClient, newSessionKey, openSocket } from '../server/support/clients.js';
import { CLUSTER_CREDENTIALS } from './support/cluster.js';

/**
 * The chat flood limits are the cluster's, not each instance's: a flooder whose sockets the load balancer spreads over
 * two instances gets the allowance of one Platform. Both instances in this process, on one fake clock that does not
 * move unless told, so the allowances do not refill during a count and the counts are exact.
 */

describe.skipIf(!postgresInstalled.met)(needing('flood limits shared by a cluster', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  let url: string;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const instances: RunningPlatform[] = [];
  const dirs: string[] = [];
  const open: ChatClient[] = [];

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    url = await server.createDatabase();
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'global-limits-'));
      dirs.push(dataDir);
      instances.push(await startPlatform({ dataDir, databaseUrl: url, clock, logger: false, ...CLUSTER_CREDENTIALS, apiLimits: { talkCallsPerMinute: 3, maxAnonymousClients: 3 } }));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(open.map((c) => c.close()));
    for (const p of instances) await p.close();
    await server?.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Sends each text and resolves with how many were stored (echoed) and the refusals. */
  async function send(client: ChatClient, count: number, tag: string) {
    const ids = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
    for (const id of ids) client.ws.send(JSON.stringify({ type: 'send', clientId: id, text: `flood ${id}` }));
    const answers = await Promise.all(
      ids.map((id) => client.log.waitFor((f) => (f.type === 'message' && f.message.clientId === id) || (f.type === 'error' && f.clientId === id), `the answer to ${id}`, 15_000)),
    );
    const refused = answers.filter((f): f is Extract<ChatServerFrame, { type: 'error' }> => f.type === 'error');
    return { stored: count - refused.length, refused };
  }

  it('a flooder on one session spread over two instances gets the session allowance once, and is refused as on one instance', async () => {
    const session = newSessionKey();
    const onOne = await ChatClient.connect(instances[0]!.url, 'starter', { session });
    const onTwo = await ChatClient.connect(instances[1]!.url, 'starter', { session });
    open.push(onOne, onTwo);
    // The conversation exists before the flood (two instances starting one session's conversation at once is another
    // matter: one of them is told to send again).
    await onOne.say('Hello');
    const [a, b] = await Promise.all([send(onOne, 15, 'one'), send(onTwo, 15, 'two')]);
    // The default session allowance is a burst of 10 (the hello took one): per instance it would have been 19.
    expect(a.stored + b.stored).toBe(9);
    for (const refusal of [...a.refused, ...b.refused]) {
      expect(refusal).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number), message: expect.stringContaining('too fast') });
    }

    // Ordinary users on either instance are not slowed by it.
    for (const instance of instances) {
      const user = await ChatClient.connect(instance.url);
      open.push(user);
      expect((await send(user, 3, 'ordinary')).stored).toBe(3);
    }

    // After a second the session has 2 more, once for the cluster.
    clock.advance(1_000);
    const [c, d] = await Promise.all([send(onOne, 5, 'later-one'), send(onTwo, 5, 'later-two')]);
    expect(c.stored + d.stored).toBe(2);
  });

  /** A socket's hello on `session`, and the first frame answering it: a welcome, or the refusal before the close. */
  async function hello(baseUrl: string, session: string): Promise<ChatServerFrame> {
    const ws = await openSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/chat?bot=starter`);
    sockets.push(ws);
    const first = new Promise<ChatServerFrame>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()) as ChatServerFrame)));
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session, lastSeq: 0 }));
    return first;
  }
  const sockets: Array<{ terminate(): void }> = [];
  afterAll(() => sockets.forEach((ws) => ws.terminate()));

  it('one conversation open in more windows than allowed over two instances: the windows past the cap are refused', async () => {
    const session = newSessionKey();
    const first = await ChatClient.connect(instances[0]!.url, 'starter', { session });
    open.push(first);
    await first.say('Hello');
    for (let i = 0; i < 2; i++) expect((await hello(instances[0]!.url, session)).type).toBe('welcome');
    // The three windows on the first instance are in its presence rows before the second instance is asked.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const presence = async () =>
        Number(
          (await pool.query('SELECT SUM(p.open) AS open FROM conversation_presence p JOIN conversations c ON c.id = p.conversation_id WHERE c.session_key = $1', [hashToken(session)])).rows[0]
            .open,
        );
      await vi.waitFor(async () => expect(await presence()).toBe(3), { timeout: 15_000, interval: 50 });
    } finally {
      await pool.end();
    }
    const onTwo = [];
    for (let i = 0; i < 3; i++) onTwo.push(await hello(instances[1]!.url, session));
    expect(onTwo.map((f) => f.type)).toEqual(['welcome', 'welcome', 'error']);
    expect(onTwo[2]).toMatchObject({ code: 'too_many_channels', retryAfterMs: expect.any(Number), message: expect.stringContaining('5 windows') });
  });

  it('the API’s talk calls per minute are the plan’s for the cluster, not for each instance', async () => {
    const { appId, userKey } = CLUSTER_CREDENTIALS;
    const talk = (instance: RunningPlatform) => fetch(`${instance.url}/talk/${appId}/starter?user_key=${userKey}&input=hello`, { method: 'POST' });
    const answers = [];
    for (let i = 0; i < 4; i++) for (const instance of instances) answers.push(await talk(instance));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(3);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused).toHaveLength(5);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused[0]!.json()).toMatchObject({ status: 'error', message: expect.stringContaining('talk calls per minute') });
    // The next clock minute opens a new count.
    clock.advance(60_000);
    expect((await talk(instances[1]!)).status).toBe(200);
  });

  it('atalk’s anonymous client names are numbered for the cluster: never one name twice, each known on every instance', async () => {
    const { appId, userKey } = CLUSTER_CREDENTIALS;
    const atalk = async (instance: RunningPlatform, clientName?: string) => {
      // A minute each, so the plan's 3 talk calls a minute are not what is tested here.
      clock.advance(60_000);
      const name = clientName ? `&client_name=${clientName}` : '';
      return fetch(`${instance.url}/atalk/${appId}/starter?user_key=${userKey}&input=hello${name}`, { method: 'POST' });
    };
    const names: string[] = [];
    for (const instance of [instances[0]!, instances[1]!, instances[0]!]) {
      const response = await atalk(instance);
      expect(response.status).toBe(200);
      names.push(((await response.json()) as { client_name: string }).client_name);
    }
    expect(names).toEqual(['aiaas-uncluster1-user-0000', 'aiaas-uncluster1-user-0001', 'aiaas-uncluster1-user-0002']);
    // A name made on one instance talks on the other.
    expect((await atalk(instances[1]!, names[0])).status).toBe(200);
    expect((await atalk(instances[0]!, names[1])).status).toBe(200);
    // The plan's 3 anonymous clients are the app's, whichever instance is asked.
    expect((await atalk(instances[1]!)).status).toBe(429);
  });

  it('the shared bucket refills on the database’s clock by default', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      // A refill of one token a day: the test cannot see one, so the count is exact whatever the load.
      const shape = { burst: 6, perSecond: 1 / 86_400 };
      const [a, b] = [0, 1].map(() => new SharedRateLimit({ pool, scope: 'test-db-clock', shape, clock, batch: 2 }));
      const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a! : b!).take('k')));
      expect(decisions.filter((d) => d.ok)).toHaveLength(6);
      const refused = decisions.find((d) => !d.ok);
      expect(refused).toMatchObject({ ok: false });
      expect(refused && !refused.ok && refused.retryAfterMs).toBeGreaterThan(80_000_000);
      // Full again long ago by the database's clock: nothing to prune yet (it is idle only for milliseconds).
      expect(await a!.prune()).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
