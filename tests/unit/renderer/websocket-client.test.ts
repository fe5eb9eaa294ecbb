import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { StudioEvent } from '../../../protocol/studio-api.js';
import { AppError } from '../../../protocol/errors.js';
import { webSocketClient } from '../../../renderer/src/client/websocket-client.js';
import { ManualClock } from '../../support/manual-clock.js';

/** A real WebSocket host that answers `app.focus` with {} and refuses everything else the way main does. */
async function startHost() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const received: { id: number; method: string }[] = [];
  let silent = false;
  server.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { id: number; method: string; args: unknown };
      received.push(frame);
      if (silent) return;
      if (frame.method === 'app.focus') socket.send(JSON.stringify({ id: frame.id, ok: true, result: {} }));
      else socket.send(JSON.stringify({ id: frame.id, ok: false, error: { code: 'held_by_other', message: 'Ana is answering this conversation.', details: { holder: 'Ana' } } }));
    });
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/studio-api?secret=s`,
    server,
    received,
    setSilent: (v: boolean) => (silent = v),
    broadcast: (data: string) => server.clients.forEach((c) => c.send(data)),
    dropAll: () => server.clients.forEach((c) => c.terminate()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function connect(options: { queueTimeoutMs?: number } = {}) {
  const host = await startHost();
  const clock = new ManualClock();
  const client = webSocketClient({ url: host.url, createSocket: (u) => new WebSocket(u), clock, random: () => 1, baseDelayMs: 250, maxDelayMs: 5_000, ...options });
  cleanups.push(() => client.close(), () => host.close());
  await vi.waitFor(() => expect(client.transportStatus()).toEqual({ state: 'open' }));
  return { host, clock, client };
}

describe('browser-mode Studio API transport', () => {
  it('answers a call with the host result', async () => {
    const { client } = await connect();
    await expect(client.invoke('app.focus', { focused: true })).resolves.toEqual({});
  });

  it('turns a refusal into an error carrying main code and words', async () => {
    const { client } = await connect();
    const error = await client.invoke('conversation.reply', { conversationId: 'c1', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'held_by_other', message: 'Ana is answering this conversation.' });
  });

  it('delivers pushed events and skips frames it cannot read', async () => {
    const { host, client } = await connect();
    const events: StudioEvent[] = [];
    client.onEvent((e) => events.push(e));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    host.broadcast('not json');
    host.broadcast(JSON.stringify({ event: { type: 'badge', count: -1 } }));
    host.broadcast(JSON.stringify({ event: { type: 'badge', count: 3 } }));
    await vi.waitFor(() => expect(events).toEqual([{ type: 'badge', count: 3 }]));
  });

  it('reconnects after the host drops, with backoff, and sends calls made meanwhile', async () => {
    const { host, clock, client } = await connect();
    const statuses: string[] = [];
    client.onTransport((s) => statuses.push(s.state));
    host.dropAll();
    await vi.waitFor(() => expect(client.transportStatus()).toEqual({ state: 'reconnecting', retryAt: clock.now() + 250 }));
    const waiting = client.invoke('app.focus', { focused: false });
    expect(host.received.filter((f) => f.method === 'app.focus')).toHaveLength(0);
    clock.advance(250);
    await expect(waiting).resolves.toEqual({});
    expect(statuses).toEqual(['reconnecting', 'open']);
  });

  it('backs off longer after each failed attempt', async () => {
    const { host, clock, client } = await connect();
    host.dropAll();
    await host.close();
    const delays: number[] = [];
    let previousRetry: number | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      await vi.waitFor(() => {
        const s = client.transportStatus();
        expect(s.state === 'reconnecting' && s.retryAt !== previousRetry).toBe(true);
      });
      const status = client.transportStatus() as { state: string; retryAt: number };
      delays.push(status.retryAt - clock.now());
      previousRetry = status.retryAt;
      clock.advance(status.retryAt - clock.now());
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000]);
  });

  it('fails a call that was on its way when the host dropped, so the person can decide to retry', async () => {
    const { host, client } = await connect();
    host.setSilent(true);
    const inFlight = client.invoke('conversation.reply', { conversationId: 'c1', text: 'hello' });
    await vi.waitFor(() => expect(host.received).toHaveLength(1));
    host.dropAll();
    await expect(inFlight).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('gives up on a call when the host stays away too long', async () => {
    const { host, clock, client } = await connect({ queueTimeoutMs: 15_000 });
    host.dropAll();
    await host.close();
    await vi.waitFor(() => expect(client.transportStatus().state).toBe('reconnecting'));
    const waiting = client.invoke('app.focus', { focused: true });
    clock.advance(15_000);
    await expect(waiting).rejects.toMatchObject({ code: 'disconnected' });
  });
});
