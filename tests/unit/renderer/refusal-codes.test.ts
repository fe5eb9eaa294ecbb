import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createDispatcher, type StudioHandlers } from '../../../main/studio-api/dispatcher.js';
import { AppError } from '../../../protocol/errors.js';
import { studioMethods } from '../../../protocol/studio-api.js';
import { bridgeClient } from '../../../renderer/src/client/bridge-client.js';
import { describeError } from '../../../renderer/src/client/studio-client.js';
import { webSocketClient } from '../../../renderer/src/client/websocket-client.js';
import { ManualClock } from '../../support/manual-clock.js';

function handlers(over: Partial<StudioHandlers>): StudioHandlers {
  const none = () => {
    throw new Error('not expected in this test');
  };
  return { ...(Object.fromEntries(Object.keys(studioMethods).map((m) => [m, none])) as unknown as StudioHandlers), ...over };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('a refusal reaching the renderer', () => {
  it('carries its stable code, details and words from main through the Electron bridge', async () => {
    const dispatcher = createDispatcher(
      handlers({
        'conversation.reply': () => {
          throw new AppError('held_by_other', 'Grace took over this conversation a moment ago.', { details: { holder: { id: 'd2', name: 'Grace' } } });
        },
        'training.publish': () => {
          throw new AppError('platform_unauthorized', 'The Platform refused the app id or user key (401).', { details: { status: 401 } });
        },
      }),
    );
    // The preload bridge hands main's envelope to the renderer as is (IPC would drop an Error's fields).
    const client = bridgeClient({ invoke: (method, args) => dispatcher.invoke(method, args), onEvent: () => () => undefined });

    const held = await client.invoke('conversation.reply', { conversationId: 'c1', text: 'hi' }).catch((e: unknown) => e);
    expect(held).toBeInstanceOf(AppError);
    expect(held).toMatchObject({ code: 'held_by_other', details: { holder: { id: 'd2', name: 'Grace' } } });
    expect(describeError(held)).toBe('Grace took over this conversation a moment ago.');

    const publish = await client.invoke('training.publish', { bot: 'starter' }).catch((e: unknown) => e);
    expect(publish).toMatchObject({ code: 'platform_unauthorized', details: { status: 401 } });
  });

  it('with a code outside the closed set becomes `internal` and keeps its words (Electron bridge)', async () => {
    const client = bridgeClient({ invoke: async () => ({ ok: false, error: { code: 'made_up', message: 'Something odd.' } }), onEvent: () => () => undefined });
    const error = await client.invoke('app.state', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal', message: 'Something odd.' });
  });

  it('with a code outside the closed set still ends the call in browser mode, as `internal`', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    server.on('connection', (socket) => {
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { id: number };
        socket.send(JSON.stringify({ id: frame.id, ok: false, error: { code: 'made_up', message: 'Something odd.' } }));
      });
    });
    const port = (server.address() as { port: number }).port;
    const client = webSocketClient({ url: `ws://127.0.0.1:${port}/studio-api?secret=s`, createSocket: (u) => new WebSocket(u), clock: new ManualClock(), random: () => 1 });
    cleanups.push(
      () => client.close(),
      () => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const error = await client.invoke('app.state', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'internal' });
  });
});
