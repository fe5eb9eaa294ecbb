import { request, Agent } from 'node:http';
import { connect } from 'node:net';
import type WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { tryUpgrade } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

let t: TestPlatform | undefined;
const open: WebSocket[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  await t?.close();
  t = undefined;
});

const FLOODER = '127.0.0.2';

/** Opens a WebSocket from `localAddress`: its status (101 when opened) and, when refused, the answer. */
const upgrade = (url: string, localAddress: string, headers: Record<string, string> = {}) => tryUpgrade(url, { opened: open, localAddress, headers });

/**
 * Sends `bytes` on a new TCP connection from `localAddress` and resolves with everything answered until the
 * Platform closes its end. The bytes here are a request line alone, with no headers and no blank line after it: an
 * HTTP server waits for the rest, so an answer can only come from the gate, before any HTTP parsing.
 */
function rawExchange(port: number, localAddress: string, bytes: string) {
  return new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let answer = '';
    // Only a failing Platform gets here (the HTTP server waits for the rest of the request): say so, do not hang.
    const silent = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(bytes)} from ${localAddress}: it was not refused before HTTP parsing`));
    }, 5_000);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => {
      clearTimeout(silent);
      socket.end();
      resolve(answer);
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

function get(port: number, path: string, localAddress: string, agent?: Agent) {
  return new Promise<{ status: number; body: string; reusedSocket: boolean }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A designer socket from `localAddress`, welcomed after its hello. */
async function designerWelcomed(t: TestPlatform, localAddress: string): Promise<string> {
  const opened = await upgrade(`${t.url.replace(/^http/, 'ws')}/ws/designer`, localAddress, { Authorization: `Bearer ${t.ada.token}` });
  expect(opened.status).toBe(101);
  const ws = opened.ws!;
  const first = new Promise<string>((resolve) => ws.once('message', (d) => resolve((JSON.parse(d.toString()) as { type: string }).type)));
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, resume: {} }));
  return first;
}

const CHAT_REQUEST_LINE = 'GET /ws/chat?bot=starter HTTP/1.1\r\n';

describe('chat sockets refused at accept time', () => {
  it('an address that spent its chat opens allowance gets 429 with Retry-After and the reason from its request line alone; its /healthz, pages and designer socket are served, and other addresses open chats', async () => {
    t = await startTestPlatform({ chatLimits: { addressOpensBurst: 3, addressOpensPerSecond: 0.01 } });
    const chatUrl = `${t.url.replace(/^http/, 'ws')}/ws/chat?bot=starter`;
    const port = t.platform.port;
    for (let i = 0; i < 3; i++) expect((await upgrade(chatUrl, FLOODER)).status).toBe(101);
    // The fourth is refused by the chat gateway after its request was parsed: from then on the gate knows.
    const parsed = await upgrade(chatUrl, FLOODER);
    expect(parsed).toMatchObject({ status: 429, body: 'Too many chats opened from your address: try again in a moment.\n' });

    const answer = await rawExchange(port, FLOODER, CHAT_REQUEST_LINE);
    expect(answer).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(Number(/\r\nRetry-After: (\d+)\r\n/.exec(answer)?.[1])).toBeGreaterThanOrEqual(1);
    expect(answer.endsWith('\r\n\r\nToo many chats opened from your address: try again in a moment.\n')).toBe(true);
    // A complete upgrade gets the same answer.
    expect(await upgrade(chatUrl, FLOODER)).toMatchObject({ status: 429, body: parsed.body, retryAfter: expect.stringMatching(/^\d+$/) });

    // Everything else from the same address (an office behind one NAT) is served.
    expect(await get(port, '/healthz', FLOODER)).toMatchObject({ status: 200 });
    expect(await get(port, '/readyz', FLOODER)).toMatchObject({ status: 200 });
    expect(await get(port, '/chat/starter', FLOODER)).toMatchObject({ status: 200, body: expect.stringContaining('<html') });
    expect(await designerWelcomed(t, FLOODER)).toBe('welcome');
    // Another address opens its chat.
    expect((await upgrade(chatUrl, '127.0.0.3')).status).toBe(101);
  });

  it('an address with all its chat sockets open gets 429 at accept time, and its kept-alive connection still serves request after request', async () => {
    t = await startTestPlatform({ chatLimits: { maxConnectionsPerAddress: 2 } });
    const chatUrl = `${t.url.replace(/^http/, 'ws')}/ws/chat?bot=starter`;
    const port = t.platform.port;
    for (let i = 0; i < 2; i++) expect((await upgrade(chatUrl, FLOODER)).status).toBe(101);

    const answer = await rawExchange(port, FLOODER, CHAT_REQUEST_LINE);
    expect(answer).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(answer).toContain('\r\nRetry-After: 30\r\n');
    expect(answer.endsWith('Too many open chats from your address: close some and try again.\n')).toBe(true);

    // Its connections are read before the HTTP server gets them: the server still gets every byte, in order.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(port, '/healthz', FLOODER, agent);
      const second = await get(port, '/widget.js', FLOODER, agent);
      expect(first).toMatchObject({ status: 200, reusedSocket: false });
      expect(second).toMatchObject({ status: 200, reusedSocket: true });
    } finally {
      agent.destroy();
    }
    expect((await upgrade(chatUrl, '127.0.0.3')).status).toBe(101);
  });

  it('a chat request whose request line comes in pieces gets the same refusal (from the chat gateway, if the gate cannot tell)', async () => {
    t = await startTestPlatform({ chatLimits: { maxConnectionsPerAddress: 2 } });
    const chatUrl = `${t.url.replace(/^http/, 'ws')}/ws/chat?bot=starter`;
    for (let i = 0; i < 2; i++) expect((await upgrade(chatUrl, FLOODER)).status).toBe(101);
    const socket = connect({ host: '127.0.0.1', port: t.platform.port, localAddress: FLOODER, noDelay: true });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
    socket.write('GET /ws/c');
    socket.write(`hat?bot=starter HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await ended;
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(answer).toContain('\r\nRetry-After: 30\r\n');
    expect(answer.endsWith('Too many open chats from your address: close some and try again.\n')).toBe(true);
  });
});
