import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../support/manual-clock.js';
import { backoffDelay } from '../../../protocol/backoff.js';
import { designerSocketUrl, PlatformLink, type LinkState } from '../../../main/platform-link/link.js';
import type { EventEnvelope } from '../../../protocol/designer-wire.js';
import { FakeDesignerServer } from './support/fake-designer-server.js';
import { envelope, message, summary } from './support/fixtures.js';

let server: FakeDesignerServer | undefined;
let link: PlatformLink | undefined;
afterEach(async () => {
  link?.close();
  link = undefined;
  await server?.stop();
  server = undefined;
});

function makeLink(url: string, over: Partial<ConstructorParameters<typeof PlatformLink>[0]> = {}) {
  const clock = new ManualClock();
  let n = 0;
  const states: LinkState[] = [];
  const events: EventEnvelope[] = [];
  const l = new PlatformLink({ url, token: 'good-token', clock, random: () => 0.5, newId: () => `req-${++n}`, backoff: { baseMs: 1000, capMs: 8000 }, ...over });
  l.subscribe({ status: (s) => states.push(s), event: (e) => events.push(e) });
  link = l;
  return { link: l, clock, states, events };
}

const started = (id: string) => ({ type: 'conversation.started' as const, conversation: summary(id) });

describe('backoff with full jitter', () => {
  it('waits a random share of an exponentially growing ceiling, never above the cap', () => {
    const policy = { baseMs: 500, capMs: 30_000 };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([499, 999, 1999, 3999]);
    expect(backoffDelay(20, policy, () => 0.999999)).toBe(29_999);
    expect(backoffDelay(5000, policy, () => 0.5)).toBe(15_000);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('designer socket URL', () => {
  it('maps http to ws and https to wss, keeping a path prefix', () => {
    expect(designerSocketUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/ws/designer');
    expect(designerSocketUrl('https://bots.example.com/platform')).toBe('wss://bots.example.com/platform/ws/designer');
  });
});

describe('PlatformLink', () => {
  it('authenticates with the token, says hello, and is online after the welcome', async () => {
    server = await FakeDesignerServer.start();
    const { link, states } = makeLink(server.url);
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    expect(server.last.authorization).toBe('Bearer good-token');
    await vi.waitFor(() => expect(server!.last.frames[0]).toEqual({ type: 'hello', protocol: 1, resume: {} }));
    expect(link.current.status).toBe('connecting');
    server.welcome();
    await vi.waitFor(() => expect(link.current.status).toBe('online'));
    expect(states.map((s) => s.status)).toEqual(['online']);
  });

  it('stops and says so when the Platform refuses the token (HTTP 401)', async () => {
    server = await FakeDesignerServer.start();
    const { link, clock } = makeLink(server.url, { token: 'stale' });
    const read = link.request('bot.list', {}).catch((e: unknown) => e);
    link.start();
    await vi.waitFor(() => expect(link.current.status).toBe('unauthorized'));
    expect(link.current.lastError).toContain('401');
    expect(await read).toMatchObject({ code: 'unauthorized' });
    clock.advance(10 * 60_000);
    expect(server.connections).toHaveLength(0);
    await expect(link.request('bot.list', {})).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('reconnects with growing, jittered waits while the Platform is down, then resets after a welcome', async () => {
    server = await FakeDesignerServer.start();
    const port = server.port;
    await server.stop();
    const { link, clock, states } = makeLink(`http://127.0.0.1:${port}`);
    link.start();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      await vi.waitFor(() => expect(states.filter((s) => s.retryAt !== undefined)).toHaveLength(attempt + 1));
      const s = states.filter((x) => x.retryAt !== undefined).at(-1)!;
      expect(s.status).toBe('reconnecting');
      expect(s.lastError).toBe('nothing answers there');
      waits.push(s.retryAt! - clock.now());
      clock.advance(s.retryAt! - clock.now());
    }
    // random() = 0.5 of ceilings 1 s, 2 s, 4 s, 8 s, then the 8 s cap.
    expect(waits).toEqual([500, 1000, 2000, 4000, 4000]);

    server = new FakeDesignerServer();
    await server.listen(port);
    await vi.waitFor(() => expect(states.filter((s) => s.retryAt !== undefined)).toHaveLength(6));
    clock.advance(5000);
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    await vi.waitFor(() => expect(link.current.status).toBe('online'));
    server.last.socket.terminate();
    await vi.waitFor(() => expect(link.current.status).toBe('reconnecting'));
    expect(link.current.retryAt! - clock.now()).toBe(500);
  });

  it('resumes each bot from the last event id and delivers every event once, in order', async () => {
    server = await FakeDesignerServer.start();
    const { link, clock, events } = makeLink(server.url);
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    server.send({ type: 'snapshot', bot: 'starter', lastEventId: 2, conversations: [] });
    server.send({ type: 'synced', bot: 'starter', lastEventId: 2 });
    server.send({ type: 'event', ...envelope(3, started('c1')) });
    server.send({ type: 'event', ...envelope(4, { type: 'message.created', message: message('c1', 1, 'user', 'hi') }) });
    await vi.waitFor(() => expect(events.map((e) => e.id)).toEqual([3, 4]));

    server.last.socket.terminate();
    await vi.waitFor(() => expect(link.current.status).toBe('reconnecting'));
    clock.advance(1000);
    await vi.waitFor(() => expect(server!.connections).toHaveLength(2));
    await vi.waitFor(() => expect(server!.last.frames[0]).toEqual({ type: 'hello', protocol: 1, resume: { starter: 4 } }));
    server.welcome();
    // A replay that overlaps what Studio already has: 4 again, then 5.
    server.send({ type: 'event', ...envelope(4, { type: 'message.created', message: message('c1', 1, 'user', 'hi') }) });
    server.send({ type: 'event', ...envelope(5, { type: 'message.created', message: message('c1', 2, 'bot', 'hello') }) });
    server.send({ type: 'synced', bot: 'starter', lastEventId: 5 });
    await vi.waitFor(() => expect(events.map((e) => e.id)).toEqual([3, 4, 5]));
  });

  it('reconnects to be replayed what it missed when an event id skips ahead', async () => {
    server = await FakeDesignerServer.start();
    const { link, clock, events } = makeLink(server.url);
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    server.send({ type: 'snapshot', bot: 'starter', lastEventId: 7, conversations: [] });
    server.send({ type: 'event', ...envelope(9, started('c9')) });
    await vi.waitFor(() => expect(link.current.status).toBe('reconnecting'));
    expect(events).toEqual([]);
    clock.advance(1000);
    await vi.waitFor(() => expect(server!.connections).toHaveLength(2));
    await vi.waitFor(() => expect(server!.last.frames[0]).toMatchObject({ resume: { starter: 7 } }));
  });

  it('queues a reply made while offline and re-sends it with the same id until the Platform answers', async () => {
    server = await FakeDesignerServer.start();
    const { link, clock } = makeLink(server.url);
    const reply = link.request('conversation.reply', { conversationId: 'c1', text: 'Hello from a human' });
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    await vi.waitFor(() => expect(server!.last.frames[1]).toMatchObject({ type: 'request', id: 'req-1', method: 'conversation.reply' }));

    // The connection dies before the answer: the same request goes out again on the next connection.
    server.last.socket.terminate();
    await vi.waitFor(() => expect(link.current.status).toBe('reconnecting'));
    clock.advance(60_000);
    await vi.waitFor(() => expect(server!.connections).toHaveLength(2));
    server.welcome();
    await vi.waitFor(() => expect(server!.last.frames[1]).toMatchObject({ type: 'request', id: 'req-1', params: { conversationId: 'c1', text: 'Hello from a human' } }));
    server.send({
      type: 'response',
      id: 'req-1',
      ok: true,
      result: { conversationId: 'c1', tookOver: true, messages: [message('c1', 3, 'human', 'Hello from a human')], eventIds: [9] },
    });
    await expect(reply).resolves.toMatchObject({ tookOver: true });
  });

  it('gives up on a read when no connection comes in time, with a plain reason', async () => {
    server = await FakeDesignerServer.start();
    const port = server.port;
    await server.stop();
    const { link, clock } = makeLink(`http://127.0.0.1:${port}`, { requestTimeoutMs: 5000 });
    link.start();
    const read = link.request('conversation.transcript', { conversationId: 'c1' });
    clock.advance(5000);
    await expect(read).rejects.toMatchObject({ code: 'offline', message: expect.stringContaining('not connected') });
  });

  it('passes the Platform refusal through with its code and details', async () => {
    server = await FakeDesignerServer.start();
    const { link } = makeLink(server.url);
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    const reply = link.request('conversation.reply', { conversationId: 'c1', text: 'mine' });
    await vi.waitFor(() => expect(server!.last.frames[1]).toMatchObject({ type: 'request' }));
    server.send({ type: 'response', id: 'req-1', ok: false, error: { code: 'held_by_other', message: 'Grace holds it', details: { holder: { id: 'd2', name: 'Grace' } } } });
    await expect(reply).rejects.toMatchObject({ code: 'held_by_other', details: { holder: { name: 'Grace' } } });
  });

  it('refuses an answer that does not fit the contract instead of passing it on', async () => {
    server = await FakeDesignerServer.start();
    const { link } = makeLink(server.url);
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    const list = link.request('bot.list', {});
    await vi.waitFor(() => expect(server!.last.frames[1]).toMatchObject({ type: 'request' }));
    server.send({ type: 'response', id: 'req-1', ok: true, result: { bots: 'all of them' } });
    await expect(list).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('drops frames it cannot use and stays connected', async () => {
    server = await FakeDesignerServer.start();
    const { link, events } = makeLink(server.url);
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    server.send('not json {');
    server.send({ type: 'event', bot: 'starter', id: 1, at: 0, event: { type: 'no.such.event' } });
    server.send({ type: 'event', ...envelope(1, started('c1')) });
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(link.current.status).toBe('online');
    expect(server.connections).toHaveLength(1);
  });

  it('declares the Platform dead when a ping goes unanswered, and reconnects', async () => {
    server = await FakeDesignerServer.start({ autoPong: false });
    const { link, clock } = makeLink(server.url, { heartbeatMs: 10_000, deadPeerMs: 5_000 });
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    await vi.waitFor(() => expect(link.current.status).toBe('online'));
    clock.advance(10_000);
    expect(link.current.status).toBe('online');
    clock.advance(5_000);
    await vi.waitFor(() => expect(link.current.status).toBe('reconnecting'));
    expect(link.current.lastError).toBe('The Platform stopped answering.');
  });

  it('keeps a live Platform that answers pings', async () => {
    server = await FakeDesignerServer.start();
    const { link, clock } = makeLink(server.url, { heartbeatMs: 10_000, deadPeerMs: 5_000 });
    link.start();
    await vi.waitFor(() => expect(server!.connections).toHaveLength(1));
    server.welcome();
    await vi.waitFor(() => expect(link.current.status).toBe('online'));
    const idle = clock.pending; // the heartbeat alone
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      // A ping went out with a dead-peer deadline; the pong (over a real socket) cancels that deadline.
      expect(clock.pending).toBe(idle + 1);
      await vi.waitFor(() => expect(clock.pending).toBe(idle));
    }
    clock.advance(4_000);
    expect(link.current.status).toBe('online');
  });

  it('refuses everything still waiting when closed', async () => {
    server = await FakeDesignerServer.start();
    const { link } = makeLink(server.url);
    const reply = link.request('conversation.setBotActive', { conversationId: 'c1', active: true });
    link.close();
    await expect(reply).rejects.toMatchObject({ code: 'closed' });
    expect(link.current.status).toBe('closed');
  });
});
