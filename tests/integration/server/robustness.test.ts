import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../protocol/limits.js';
import WebSocket from 'ws';
import { startPlatform } from '../../../server/platform.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ChatClient, closed, DesignerClient, newSessionKey, openSocket } from './support/clients.js';
import { silentNetwork } from './support/silent-network.js';
import { startTestPlatform } from './support/test-platform.js';

/** Counts the heartbeat pings a socket receives: `await count(n)` resolves once n have arrived. */
function pingsReceived(ws: WebSocket): (n: number) => Promise<void> {
  let received = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  ws.on('ping', () => {
    received += 1;
    for (const w of waiters.filter((w) => received >= w.n)) w.resolve();
  });
  return (n) => (received >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })));
}

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;
const chatUrl = (t: TestPlatform, bot = 'starter') => `${t.url.replace('http', 'ws')}/ws/chat?bot=${bot}`;

describe('bad input gets a clear error and loses nothing', () => {
  let t: TestPlatform;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    t = await startTestPlatform({ clock });
  });
  afterEach(async () => {
    await t.close();
  });

  it('malformed chat frames get an error frame and the connection stays up', async () => {
    const user = await ChatClient.connect(t.url);
    const errorsBefore = () => user.log.frames.filter((f) => f.type === 'error').length;
    for (const bad of ['not json', '{"type":"dance"}', '[]', 'null', '{"type":"send","text":"no client id"}']) {
      const n = errorsBefore();
      user.ws.send(bad);
      await user.log.waitFor((f) => f.type === 'error', `error for ${bad}`, 5_000, user.log.frames.length - (errorsBefore() - n));
    }
    user.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await user.log.waitFor(() => errorsBefore() === 6, 'an error for the binary frame');
    // Still up, and a good message goes through; its answer comes after any other frame the bad ones caused.
    const ok = await user.say('Hello');
    expect(ok.seq).toBe(1);
    const errors = user.log.frames.filter((f) => f.type === 'error');
    expect(errors.map((e) => e.type === 'error' && e.code)).toEqual(['bad_frame', 'bad_frame', 'bad_frame', 'bad_frame', 'invalid', 'bad_frame']);
    await user.close();
  });

  it('malformed designer frames get an error frame, unknown methods and bad params a clear response', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    designer.ws.send('{oops');
    const bad = await designer.log.waitFor((f) => f.type === 'error', 'error frame');
    expect(bad.type === 'error' && bad.error.code).toBe('bad_frame');
    expect((await designer.rawRequest('conversation.explode', {})).error?.code).toBe('unknown_method');
    const invalid = await designer.rawRequest('conversation.reply', { conversationId: 'x' });
    expect(invalid.error?.code).toBe('invalid_params');
    expect(invalid.error?.message).toMatch(/text/);
    expect((await designer.rawRequest('conversation.get', { conversationId: 'nope' })).error?.code).toBe('not_found');
    expect((await designer.request('bot.list', {})).bots.length).toBeGreaterThan(0);
    await designer.close();
  });

  it('oversized input: a too-long message is refused with its client id; a huge frame closes the socket with 1009', async () => {
    const user = await ChatClient.connect(t.url);
    await expect(user.say('x'.repeat(LIMITS.messageChars + 1), 'long')).rejects.toMatchObject({ frame: { code: 'too_large', clientId: 'long' } });
    user.ws.send(JSON.stringify({ type: 'send', clientId: 'big', text: 'y'.repeat(LIMITS.frameBytes) }));
    const frameError = await user.log.waitFor((f) => f.type === 'error' && f.code === 'too_large' && !f.clientId, 'frame too large');
    expect(frameError.type === 'error' && frameError.message).toMatch(/bytes/);
    expect((await user.say('still here')).text).toBe('still here');
    const closing = closed(user.ws);
    user.ws.send('z'.repeat(LIMITS.frameBytes * 16 + 1));
    expect((await closing).code).toBe(1009);

    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    const transcript = await designer.request('conversation.transcript', { conversationId: conversations[0]!.id });
    expect(transcript.messages.filter((m) => m.author === 'user').map((m) => m.text)).toEqual(['still here']);
    const tooLong = await designer.rawRequest('conversation.reply', { conversationId: conversations[0]!.id, text: 'z'.repeat(LIMITS.messageChars + 1) });
    expect(tooLong.error?.code).toBe('too_large');
    await designer.close();
  });

  it('a conversation at its message limit refuses more with a clear error naming the message, and stores nothing', async () => {
    const first = await ChatClient.connect(t.url);
    await first.say('Hello');
    await first.close();
    // Filling 10,000 messages over the socket would take the rate limit an hour: the count is set while it is down.
    const port = t.platform.port;
    await t.platform.close();
    const db = new Database(join(t.dataDir, 'platform.sqlite'));
    db.prepare('UPDATE conversations SET last_seq = ?').run(LIMITS.conversationMessages);
    db.close();
    const restarted = await startPlatform({ dataDir: t.dataDir, port, logger: false });
    try {
      const user = await ChatClient.connect(restarted.url, 'starter', { session: first.session });
      await expect(user.say('One more', 'over')).rejects.toMatchObject({ frame: { code: 'conversation_full', clientId: 'over' } });
      const refusal = user.log.frames.find((f) => f.type === 'error' && f.clientId === 'over');
      expect(refusal?.type === 'error' && refusal.message).toMatch(/limit of 10000 messages.*start a new one/);
      expect(user.ws.readyState).toBe(WebSocket.OPEN);
      const designer = await DesignerClient.connect(restarted.url, t.ada.token);
      const { conversations } = await designer.request('conversation.list', { filter: 'all' });
      expect(conversations[0]!.lastMessage?.text).not.toBe('One more');
      await designer.close();
      await user.close();
    } finally {
      await restarted.close();
    }
  });

  it('a flood is rate limited with retryAfterMs, stores only what was allowed, and a client that keeps flooding is cut off', async () => {
    const user = await ChatClient.connect(t.url);
    for (let i = 0; i < 30; i++) user.ws.send(JSON.stringify({ type: 'send', clientId: `f${i}`, text: `flood ${i}` }));
    await user.log.waitFor((f) => f.type === 'error' && f.clientId === 'f29', 'the last refusal');
    const stored = user.log.frames.filter((f) => f.type === 'message' && f.message.from === 'user');
    const limited = user.log.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(stored).toHaveLength(10); // the burst
    expect(limited).toHaveLength(20);
    expect(limited[0]!.type === 'error' && limited[0]!.retryAfterMs).toBeGreaterThan(0);
    // After the wait it says, the same client may send again.
    clock.advance(1_000);
    expect((await user.say('after the wait')).seq).toBeGreaterThan(10);
    // Keep flooding: refused frames in a row close the socket as a policy violation.
    const closing = closed(user.ws);
    for (let i = 0; i < 60; i++) user.ws.send(JSON.stringify({ type: 'send', clientId: `g${i}`, text: 'again' }));
    expect(await closing).toMatchObject({ code: 1008 });
  });

  it('too many new conversations from one address are refused', async () => {
    const refusals: string[] = [];
    for (let i = 0; i < 35; i++) {
      const user = await ChatClient.connect(t.url);
      try {
        await user.say('hi');
      } catch (error) {
        refusals.push((error as { frame: { code: string } }).frame.code);
      }
      await user.close();
    }
    expect(refusals).toEqual(Array(5).fill('rate_limited'));
  });

  it('the chat socket checks Origin: any site by default; once the owner lists sites, the Platform’s own and the listed ones only', async () => {
    const own = new URL(t.url).origin;
    await expect(ChatClient.connect(t.url, 'starter', { origin: own })).resolves.toBeDefined();
    // The Chat Widget is a public channel, like the Landing Page: by default any site may show it.
    const anySite = await ChatClient.connect(t.url, 'starter', { origin: 'https://evil.example' });
    expect(anySite.welcome.bot).toBe('starter');
    await anySite.close();
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    await designer.request('bot.updateSettings', { bot: 'starter', patch: { allowedOrigins: ['https://shop.example'] } });
    const allowed = await ChatClient.connect(t.url, 'starter', { origin: 'https://shop.example' });
    expect(allowed.welcome.bot).toBe('starter');
    await expect(openSocket(chatUrl(t), { Origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(openSocket(chatUrl(t), { Origin: 'https://shop.example.evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(openSocket(chatUrl(t, 'nosuchbot'))).rejects.toMatchObject({ status: 404 });
    await expect(openSocket(`${t.url.replace('http', 'ws')}/ws/elsewhere`)).rejects.toMatchObject({ status: 404 });
    await allowed.close();
    await designer.close();
  });

  it('caps open chat sockets per address, and closes a socket that never says hello', async () => {
    const capped = await startTestPlatform({ chatLimits: { maxConnectionsPerAddress: 3, helloTimeoutMs: 200 } });
    try {
      const sockets = await Promise.all([1, 2, 3].map(() => openSocket(chatUrl(capped))));
      await expect(openSocket(chatUrl(capped))).rejects.toMatchObject({ status: 429 });
      expect(await closed(sockets[0]!)).toEqual({ code: 1008, reason: 'Send hello first' });
      await Promise.all(sockets.map(closed));
      const again = await ChatClient.connect(capped.url);
      // Barrier: a socket opened after this one, silent, is closed by its hello deadline; this one's deadline
      // (same length, set earlier) has fired by then, and it said hello: it is still open and answered.
      const later = await openSocket(chatUrl(capped));
      expect(await closed(later)).toEqual({ code: 1008, reason: 'Send hello first' });
      expect(again.ws.readyState).toBe(again.ws.OPEN);
      expect((await again.say('Hello')).seq).toBe(1);
      await again.close();
    } finally {
      await capped.close();
    }
  });

  it('drops peers that stop answering the heartbeat, keeps the ones that do, and reports the user offline', async () => {
    const beating = await startTestPlatform({ heartbeatMs: 300 });
    try {
      const designer = await DesignerClient.connect(beating.url, beating.ada.token);
      const alive = await ChatClient.connect(beating.url);
      const designerPings = pingsReceived(designer.ws);
      const alivePings = pingsReceived(alive.ws);
      await alive.say('Hello');
      const silent = new WebSocket(chatUrl(beating), { autoPong: false });
      await new Promise((r) => silent.once('open', r));
      silent.send(JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session: newSessionKey() }));
      silent.send(JSON.stringify({ type: 'send', clientId: 'x', text: 'Hello' }));
      const gone = await closed(silent);
      expect(gone.code).toBe(1006); // terminated: no closing handshake with a dead peer
      await designer.waitForEvent((e) => e.event.type === 'conversation.presence' && !e.event.online, 'the silent user offline');
      // Each ping after the first is sent only once the Platform saw the pong to the one before (else it drops the
      // peer): a third ping means two checks passed. Then a round trip on each shows it open at the Platform's end.
      await Promise.all([alivePings(3), designerPings(3)]);
      expect(alive.ws.readyState).toBe(alive.ws.OPEN);
      expect(designer.ws.readyState).toBe(designer.ws.OPEN);
      expect((await alive.say('Still here?')).seq).toBe(3);
      await designer.request('conversation.list', { filter: 'all' });
      await alive.close();
      await designer.close();
    } finally {
      await beating.close();
    }
  });

  it('a hello for another bot or a second hello is refused', async () => {
    const ws = await openSocket(chatUrl(t));
    const frames: Array<{ type: string; code?: string }> = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    const hello = (bot: string) => JSON.stringify({ type: 'hello', protocol: 1, bot, channel: 'widget', session: newSessionKey() });
    ws.send(hello('otherbot'));
    ws.send('{"type":"send","clientId":"a","text":"before hello"}');
    ws.send(hello('starter'));
    ws.send(hello('starter'));
    // Barrier: frames are answered in order, so once this message is stored, every answer to the frames before it
    // has arrived.
    ws.send('{"type":"send","clientId":"after","text":"Hello"}');
    await new Promise<void>((resolve) => ws.on('message', () => frames.some((f) => f.type === 'message') && resolve()));
    expect(frames.slice(0, frames.findIndex((f) => f.type === 'message')).map((f) => f.code ?? f.type)).toEqual(['invalid', 'not_ready', 'welcome', 'invalid']);
    ws.close();
  });
});

describe('operations', () => {
  it('/healthz and /readyz answer, and shutdown closes every socket with a reason', async () => {
    const t = await startTestPlatform();
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const user = await ChatClient.connect(t.url);
    await user.say('Hello');
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const userClosed = closed(user.ws);
    const designerClosed = closed(designer.ws);
    await t.close();
    expect(await userClosed).toEqual({ code: 1001, reason: 'Platform shutting down' });
    expect(await designerClosed).toEqual({ code: 1001, reason: 'Platform shutting down' });
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });

  it('shutdown does not wait for peers on a dead network (they never answer the close)', async () => {
    const t = await startTestPlatform();
    const network = await silentNetwork(t.platform.port);
    const relayed = `http://127.0.0.1:${network.port}`;
    const user = await ChatClient.connect(relayed);
    await user.say('Hello');
    await DesignerClient.connect(relayed, t.ada.token);
    network.goSilent();
    const started = Date.now();
    await t.close();
    // ws alone would wait 30 s for each close handshake; the Platform cuts them after a second.
    expect(Date.now() - started).toBeLessThan(10_000);
    network.close();
  });
});
