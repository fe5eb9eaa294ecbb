import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatServerFrame } from '../../../protocol/chat-wire.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ChatClient, DesignerClient, closed, newSessionKey, openSocket } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

let t: TestPlatform | undefined;
const open: WebSocket[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  await t?.close();
  t = undefined;
});

/** A raw chat socket that says hello and records every frame, for the sockets a flood opens. */
async function rawChat(url: string, session: string) {
  const ws = await openSocket(`${url.replace(/^http/, 'ws')}/ws/chat?bot=starter`);
  open.push(ws);
  const frames: ChatServerFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as ChatServerFrame));
  const end = closed(ws);
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot: 'starter', channel: 'widget', session, lastSeq: 0 }));
  // The first frame answers the hello: a welcome, or the refusal just before the close.
  await new Promise<void>((resolve) => {
    const check = () => (frames.length > 0 ? resolve() : ws.once('message', check));
    check();
  });
  return { ws, frames, end };
}

/** Sends `count` messages and resolves with each one's answer: its echo, or the refusal naming it. */
async function flood(ws: WebSocket, frames: ChatServerFrame[], count: number, tag: string) {
  const ids = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
  for (const id of ids) ws.send(JSON.stringify({ type: 'send', clientId: id, text: `flood ${id}` }));
  const answered = () => ids.every((id) => frames.some((f) => (f.type === 'message' && f.message.clientId === id) || (f.type === 'error' && f.clientId === id)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not every message of ${tag} was answered`)), 10_000);
    const check = () => {
      if (!answered()) return void ws.once('message', check);
      clearTimeout(timer);
      resolve();
    };
    check();
  });
  const refused = frames.filter((f): f is Extract<ChatServerFrame, { type: 'error' }> => f.type === 'error' && ids.includes(f.clientId ?? ''));
  return { stored: count - refused.length, refused };
}

async function userMessagesStored(designer: DesignerClient): Promise<number> {
  const { conversations } = await designer.request('conversation.list', { bot: 'starter', filter: 'all', limit: 500 });
  let n = 0;
  for (const c of conversations) {
    const { messages } = await designer.request('conversation.transcript', { conversationId: c.id, limit: 1000 });
    n += messages.filter((m) => m.author === 'user').length;
  }
  return n;
}

describe('chat flood limits on the real socket', () => {
  it('many sockets on one session: only a few are let in, the rest are refused clearly, and the session allowance caps what is stored', async () => {
    // A clock that does not move: the allowances do not refill during the test, so the counts are exact.
    t = await startTestPlatform({ clock: new ManualClock() });
    const session = newSessionKey();
    const sockets = [];
    for (let i = 0; i < 30; i++) sockets.push(await rawChat(t.url, session));
    const admitted = sockets.filter((s) => s.frames[0]?.type === 'welcome');
    const turnedAway = sockets.filter((s) => s.frames[0]?.type === 'error');
    expect(admitted).toHaveLength(5);
    expect(turnedAway).toHaveLength(25);
    for (const s of turnedAway) {
      expect(s.frames[0]).toMatchObject({ type: 'error', code: 'too_many_channels', message: expect.stringContaining('5 windows'), retryAfterMs: expect.any(Number) });
      expect(await s.end).toEqual({ code: 1008, reason: 'This chat is open in too many windows' });
    }

    const results = await Promise.all(admitted.map((s, i) => flood(s.ws, s.frames, 10, `s${i}`)));
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(10);
    for (const r of results) for (const e of r.refused) expect(e).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number), message: expect.stringContaining('too fast') });

    const ada = await DesignerClient.connect(t.url, t.ada.token);
    expect(await userMessagesStored(ada)).toBe(10);
    await ada.close();
  });

  it('an address opening chat sockets faster than any page would is refused with 429 before the handshake; another address is not', async () => {
    t = await startTestPlatform({ chatLimits: { addressOpensBurst: 3, addressOpensPerSecond: 0.01 } });
    const url = `${t.url.replace(/^http/, 'ws')}/ws/chat?bot=starter`;
    const attempt = (localAddress: string) =>
      new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
        const ws = new WebSocket(url, { localAddress });
        ws.once('open', () => {
          open.push(ws);
          resolve({ status: 101 });
        });
        ws.once('unexpected-response', (req, res) => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
        });
        ws.once('error', reject);
      });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await attempt('127.0.0.1'));
    expect(results.map((r) => r.status)).toEqual([101, 101, 101, 429, 429]);
    expect(Number(results[3]!.retryAfter)).toBeGreaterThanOrEqual(1);
    // Someone else, at another address, still gets in.
    expect((await attempt('127.0.0.2')).status).toBe(101);
  });

  it('reconnecting with the same session does not refill its allowance, and a reconnect loop is turned away', async () => {
    t = await startTestPlatform({ clock: new ManualClock() });
    const session = newSessionKey();
    let stored = 0;
    let refused = 0;
    let welcomed = 0;
    for (let reconnect = 0; reconnect < 20; reconnect++) {
      const s = await rawChat(t.url, session);
      if (s.frames[0]?.type !== 'welcome') {
        expect(s.frames[0]).toMatchObject({ type: 'error', code: 'rate_limited', retryAfterMs: expect.any(Number), message: expect.stringContaining('reconnected too often') });
        expect(await s.end).toEqual({ code: 1008, reason: 'Reconnecting too often' });
        continue;
      }
      welcomed += 1;
      const r = await flood(s.ws, s.frames, 10, `r${reconnect}`);
      stored += r.stored;
      refused += r.refused.length;
      s.ws.close();
      await s.end;
    }
    // The default allowance: 10 hellos per session, then one every 2 s (the clock does not move here).
    expect(welcomed).toBe(10);
    expect(stored).toBe(10);
    expect(refused).toBe(90);
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    expect(await userMessagesStored(ada)).toBe(10);
    await ada.close();
  });

  it('a place freed by a closed socket lets the user back in', async () => {
    t = await startTestPlatform({ clock: new ManualClock() });
    const session = newSessionKey();
    const five = [];
    for (let i = 0; i < 5; i++) five.push(await rawChat(t.url, session));
    expect((await rawChat(t.url, session)).frames[0]).toMatchObject({ code: 'too_many_channels' });
    five[0]!.ws.close();
    await five[0]!.end;
    expect((await rawChat(t.url, session)).frames[0]?.type).toBe('welcome');
  });

  it('fan-out: every socket of a conversation gets each message exactly once', async () => {
    t = await startTestPlatform({ clock: new ManualClock() });
    const session = newSessionKey();
    const first = await ChatClient.connect(t.url, 'starter', { session });
    const said = await first.say('Hello there');
    await first.waitForMessage((m) => m.seq === said.seq + 1, 'the bot reply');
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await ChatClient.connect(t.url, 'starter', { session, lastSeq: said.seq + 1 }));
    const again = await first.say('Are you there?');
    const everyone = [first, ...others];
    for (const c of everyone) await c.waitForMessage((m) => m.seq === again.seq + 1, 'the second bot reply');
    for (const c of everyone) {
      const seqs = c.log.frames.filter((f) => f.type === 'message').map((f) => (f as Extract<ChatServerFrame, { type: 'message' }>).message.seq);
      const after = seqs.filter((s) => s >= again.seq);
      expect(after).toEqual([again.seq, again.seq + 1]);
    }
  });
});
