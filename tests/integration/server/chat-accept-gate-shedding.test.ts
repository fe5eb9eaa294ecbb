import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { ChatAcceptGate } from '../../../server/http/chat-accept-gate.js';
import { ManualClock } from '../../support/manual-clock.js';

/**
 * An address that has had its allowance of answered refusals is not answered again for a while: its connections are
 * closed as soon as they are accepted (each accepted connection costs the whole Platform an event-loop iteration).
 */

let server: Server | undefined;
let gate: ChatAcceptGate | undefined;
afterEach(async () => {
  gate?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = gate = undefined;
});

const FLOODER = '127.0.0.2';
const NEIGHBOUR = '127.0.0.3';

/** A bare HTTP server behind the gate, where FLOODER is refused chats and everyone else is welcome. */
async function gated(clock: ManualClock) {
  server = createServer((_req, res) => res.end('ok'));
  gate = new ChatAcceptGate({
    clock,
    refusal: (remote) => (remote === FLOODER ? { status: 429, reason: 'Too many chats opened from your address: try again in a moment.', headers: { 'Retry-After': '1' } } : undefined),
    opens: { burst: 1_000, perSecond: 1_000 },
    firstBytesTimeoutMs: 60_000,
    maxAddresses: 100,
    answeredRefusals: { burst: 3, perSecond: 1 },
  });
  gate.install(server);
  // Dual-stack, as `--host ::` listens: IPv4 peers arrive as ::ffff:127.0.0.x and must be keyed as 127.0.0.x.
  await new Promise<void>((resolve) => server!.listen(0, '::', resolve));
  return (server.address() as AddressInfo).port;
}

/** A whole request from `localAddress`; resolves with everything answered until the connection closed. */
function exchange(port: number, localAddress: string, request: string) {
  return new Promise<string>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    socket.write(request);
  });
}

const chatRequest = 'GET /ws/chat?bot=starter HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n';
const healthRequest = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

it('answers an address its allowance of refusals, then closes its next connections unread until the allowance refills', async () => {
  const clock = new ManualClock();
  const port = await gated(clock);
  for (let i = 0; i < 3; i++) expect(await exchange(port, FLOODER, chatRequest)).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
  // The fourth is still answered (it used up the allowance); from then on the address is not read at all.
  expect(await exchange(port, FLOODER, chatRequest)).toMatch(/^HTTP\/1\.1 429/);
  expect(await exchange(port, FLOODER, chatRequest)).toBe('');
  expect(await exchange(port, FLOODER, healthRequest)).toBe('');
  expect(gate!.shed).toBe(2);
  // Another address is served meanwhile.
  expect(await exchange(port, NEIGHBOUR, healthRequest)).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
  // Once a refusal's worth of allowance is back, the address is read and answered again, its other requests served;
  // the refusal past the allowance is answered too, and then its connections are closed at accept again.
  clock.advance(1_000);
  expect(await exchange(port, FLOODER, chatRequest)).toMatch(/^HTTP\/1\.1 429/);
  expect(await exchange(port, FLOODER, healthRequest)).toMatch(/^HTTP\/1\.1 200 OK/);
  expect(await exchange(port, FLOODER, chatRequest)).toMatch(/^HTTP\/1\.1 429/);
  expect(await exchange(port, FLOODER, healthRequest)).toBe('');
  expect(gate!.shed).toBe(3);
});
