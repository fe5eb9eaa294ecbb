import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlatformLink } from '../../../main/platform-link/link.js';
import { designerMethods, type DesignerMethod } from '../../../protocol/designer-wire.js';
import { ManualClock } from '../../support/manual-clock.js';
import { FakeDesignerServer } from './support/fake-designer-server.js';

let server: FakeDesignerServer | undefined;
let link: PlatformLink | undefined;
afterEach(async () => {
  link?.close();
  link = undefined;
  await server?.stop();
  server = undefined;
});

// Pings are not under test here: the manual clock jumping past the dead-peer timeout would drop the connection.
async function onlineLink(over: Partial<ConstructorParameters<typeof PlatformLink>[0]> = {}) {
  server = await FakeDesignerServer.start();
  const clock = new ManualClock();
  let n = 0;
  const l = new PlatformLink({ url: server.url, token: 'good-token', clock, random: () => 0.5, newId: () => `req-${++n}`, heartbeatMs: 10_000_000, ...over });
  link = l;
  l.start();
  await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
  server.welcome();
  await vi.waitFor(() => expect(l.current.status).toBe('online'));
  return { link: l, clock, server };
}

const requestsWithId = (s: FakeDesignerServer, id: string) => s.last.frames.filter((f) => f['type'] === 'request' && f['id'] === id);

/** Lets the socket and promise callbacks run (no time passes on the manual clock). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const reply = { conversationId: 'c1', tookOver: true, messages: [], eventIds: [] };

describe('PlatformLink: refusals and deadlines', () => {
  it('sends a rate-limited request again, with the same id, once the Platform’s retry-after has passed', async () => {
    // random() = 0: no extra spreading wait, so the retry is due exactly at the retry-after.
    const { link, clock, server } = await onlineLink({ random: () => 0 });
    const sent = link.request('conversation.reply', { conversationId: 'c1', text: 'Hello' });
    await vi.waitFor(() => expect(requestsWithId(server, 'req-1')).toHaveLength(1));
    server.send({ type: 'response', id: 'req-1', ok: false, error: { code: 'rate_limited', message: 'too many requests', retryAfterMs: 2000 } });

    // Barrier: a later request reaches the Platform, and the refused one has not been sent again before its time.
    void link.request('bot.list', {}).catch(() => undefined);
    await vi.waitFor(() => expect(requestsWithId(server, 'req-2')).toHaveLength(1));
    clock.advance(1999);
    void link.request('bot.list', {}).catch(() => undefined);
    await vi.waitFor(() => expect(requestsWithId(server, 'req-3')).toHaveLength(1));
    expect(requestsWithId(server, 'req-1')).toHaveLength(1);

    clock.advance(1);
    await vi.waitFor(() => expect(requestsWithId(server, 'req-1')).toHaveLength(2));
    expect(requestsWithId(server, 'req-1')[1]).toMatchObject({ method: 'conversation.reply', params: { conversationId: 'c1', text: 'Hello' } });
    server.send({ type: 'response', id: 'req-1', ok: true, result: reply });
    await expect(sent).resolves.toMatchObject({ tookOver: true });
  });

  it('also reads the retry-after from details (older Platforms)', async () => {
    const { link, clock, server } = await onlineLink({ random: () => 0 });
    const list = link.request('bot.list', {});
    await vi.waitFor(() => expect(requestsWithId(server, 'req-1')).toHaveLength(1));
    server.send({ type: 'response', id: 'req-1', ok: false, error: { code: 'rate_limited', message: 'slow down', details: { retryAfterMs: 300 } } });
    await settle();
    clock.advance(300);
    await vi.waitFor(() => expect(requestsWithId(server, 'req-1')).toHaveLength(2));
    server.send({ type: 'response', id: 'req-1', ok: true, result: { bots: [] } });
    await expect(list).resolves.toEqual({ bots: [] });
  });

  it('fails a refusal that cannot be retried at once, with the Platform’s code and words', async () => {
    const { link, server } = await onlineLink();
    const sent = link.request('conversation.setBotActive', { conversationId: 'c1', active: false });
    await vi.waitFor(() => expect(requestsWithId(server, 'req-1')).toHaveLength(1));
    server.send({ type: 'response', id: 'req-1', ok: false, error: { code: 'internal', message: 'the Platform could not do this; it is logged' } });
    await expect(sent).rejects.toMatchObject({ code: 'internal', message: 'the Platform could not do this; it is logged' });
  });

  it('a request the Platform keeps refusing fails at its deadline, saying the Platform was busy', async () => {
    const { link, clock, server } = await onlineLink({ mutatingTimeoutMs: 10_000, random: () => 0 });
    const sent = link.request('conversation.reply', { conversationId: 'c1', text: 'Hello' });
    const outcome = sent.catch((e: unknown) => e);
    for (let round = 1; round <= 3; round++) {
      await vi.waitFor(() => expect(requestsWithId(server, 'req-1')).toHaveLength(round));
      server.send({ type: 'response', id: 'req-1', ok: false, error: { code: 'rate_limited', message: 'busy', retryAfterMs: 4000 } });
      await settle();
      if (round < 3) clock.advance(4000);
    }
    // 8 s passed; the third retry would go out at 12 s. The deadline comes first.
    clock.advance(2000);
    const error = await outcome;
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringContaining('too busy') });
    expect((error as Error).message).not.toContain('may still be applied');
    // Nothing is sent once it failed.
    clock.advance(10_000);
    void link.request('bot.list', {}).catch(() => undefined);
    await vi.waitFor(() => expect(requestsWithId(server, 'req-2')).toHaveLength(1));
    expect(requestsWithId(server, 'req-1')).toHaveLength(3);
  });

  it('requests refused together come back spread out, never before the retry-after', async () => {
    let r = 0;
    // A deterministic spread of random numbers in [0, 1).
    const { link, clock, server } = await onlineLink({ random: () => ((r = (r + 0.37) % 1), r) });
    const all = Array.from({ length: 20 }, () => link.request('bot.list', {}).catch(() => undefined));
    await vi.waitFor(() => expect(server.last.frames.filter((f) => f['type'] === 'request')).toHaveLength(20));
    for (let i = 1; i <= 20; i++) server.send({ type: 'response', id: `req-${i}`, ok: false, error: { code: 'rate_limited', message: 'busy', retryAfterMs: 100 } });
    await settle();
    const resentBy = async (ms: number) => {
      clock.advance(ms);
      // Barrier: a fresh request reaches the Platform after whatever the advance sent.
      const probe = `req-${++probes}`;
      void link.request('bot.list', {}).catch(() => undefined);
      await vi.waitFor(() => expect(requestsWithId(server, probe)).toHaveLength(1));
      return server.last.frames.filter((f) => f['type'] === 'request' && Number(String(f['id']).slice(4)) <= 20).length - 20;
    };
    let probes = 20;
    expect(await resentBy(99)).toBe(0);
    const atFirst = await resentBy(1 + 100);
    expect(atFirst).toBeGreaterThan(0);
    expect(atFirst).toBeLessThan(20);
    expect(await resentBy(400)).toBe(20);
    for (let i = 1; i <= 20; i++) server.send({ type: 'response', id: `req-${i}`, ok: true, result: { bots: [] } });
    await Promise.all(all);
  });

  it('every kind of request has a deadline: reads at requestTimeoutMs, mutating ones at mutatingTimeoutMs, never forever', async () => {
    const { link, clock, server } = await onlineLink({ requestTimeoutMs: 30_000, mutatingTimeoutMs: 120_000 });
    const methods = Object.keys(designerMethods) as DesignerMethod[];
    const outcomes = new Map<DesignerMethod, { error?: { code: string; message: string } }>();
    for (const method of methods) {
      const o: { error?: { code: string; message: string } } = {};
      outcomes.set(method, o);
      link.request(method, {} as never).then(
        () => undefined,
        (e: { code: string; message: string }) => (o.error = e),
      );
    }
    await vi.waitFor(() => expect(server.last.frames.filter((f) => f['type'] === 'request')).toHaveLength(methods.length));
    clock.advance(29_999);
    await settle();
    expect([...outcomes.values()].filter((o) => o.error)).toHaveLength(0);
    clock.advance(1);
    await settle();
    for (const m of methods) expect(outcomes.get(m)!.error !== undefined, m).toBe(!designerMethods[m].mutating);
    clock.advance(90_000);
    await settle();
    for (const m of methods) {
      expect(outcomes.get(m)!.error, m).toMatchObject({ code: 'timeout', message: expect.stringContaining(m) });
      // A mutating request that went out unanswered may have been applied: the designer is told to look.
      if (designerMethods[m].mutating) expect(outcomes.get(m)!.error!.message).toContain('may still be applied');
    }
  });
});
