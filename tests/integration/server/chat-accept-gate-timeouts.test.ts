import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../../protocol/clock.js';
import { ChatAcceptGate } from '../../../server/http/chat-accept-gate.js';

let server: Server | undefined;
let gate: ChatAcceptGate | undefined;
afterEach(async () => {
  gate?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = gate = undefined;
});

/** A bare HTTP server behind the gate, where every address is already refused chats (so every connection is read first). */
async function gated(firstBytesTimeoutMs: number) {
  server = createServer((_req, res) => res.end('ok'));
  gate = new ChatAcceptGate({
    clock: systemClock,
    refusal: () => ({ status: 429, reason: 'Too many chats opened from your address: try again in a moment.', headers: { 'Retry-After': '7' } }),
    opens: { burst: 1_000, perSecond: 1_000 },
    firstBytesTimeoutMs,
    maxAddresses: 100,
  });
  gate.install(server);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

it('a connection held by the gate that sends nothing is closed once its time is up', async () => {
  const port = await gated(100);
  const socket = connect({ host: '127.0.0.1', port });
  let answer = '';
  socket.on('data', (d) => (answer += d.toString()));
  // Closed by the Platform (the sweep runs every second): the client sees its end, with nothing said.
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  expect(answer).toBe('');
});

it('a refused client that keeps its end open gets its answer, and the connection is closed by the Platform', async () => {
  const port = await gated(60_000);
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  let answer = '';
  socket.on('data', (d) => (answer += d.toString()));
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  // The request line alone: the rest never comes, and the client never closes.
  socket.write('GET /ws/chat?bot=starter HTTP/1.1\r\n');
  await ended;
  expect(answer).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
  expect(answer).toContain('\r\nRetry-After: 7\r\n');
  // The lingering connection is cut off by the Platform (after its linger time), not left open.
  socket.write('Host: 127.0.0.1\r\n');
  const open = () => new Promise<number>((resolve, reject) => server!.getConnections((error, n) => (error ? reject(error) : resolve(n))));
  while ((await open()) > 0) await new Promise((r) => setTimeout(r, 100));
  socket.destroy();
});

it('a request that is not a chat goes to the HTTP server with every byte, even from a refused address', async () => {
  const port = await gated(60_000);
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST', body: 'x'.repeat(100_000) });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('ok');
});
