import type WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { tryUpgrade } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

/**
 * Behind a load balancer every chat comes from the balancer's address: with `--trust-proxy` the per-address limits
 * count the users named in X-Forwarded-For, and without it the header is ignored (a client cannot pick an address).
 */

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;
let t: TestPlatform | undefined;
const open: WebSocket[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  await t?.close();
  t = undefined;
});

/** A chat socket "from" `forwardedFor` (through a proxy on 127.0.0.1): 101 when opened, else the refusal. */
const chat = (url: string, forwardedFor: string) => tryUpgrade(`${url.replace(/^http/, 'ws')}/ws/chat?bot=starter`, { opened: open, headers: { 'X-Forwarded-For': forwardedFor } });

describe('per-address chat limits behind a load balancer (--trust-proxy)', () => {
  it('counts each forwarded user on its own when the proxy is trusted', async () => {
    t = await startTestPlatform({ trustProxy: ['127.0.0.1'], chatLimits: { maxConnectionsPerAddress: 1 } });
    expect((await chat(t.url, '203.0.113.1')).status).toBe(101);
    expect((await chat(t.url, '203.0.113.2')).status).toBe(101);
    const again = await chat(t.url, '203.0.113.1');
    expect(again.status).toBe(429);
    expect(again.body).toContain('Too many open chats from your address');
  });

  it('ignores X-Forwarded-For from a connection that is not a trusted proxy', async () => {
    t = await startTestPlatform({ chatLimits: { maxConnectionsPerAddress: 1 } });
    expect((await chat(t.url, '203.0.113.1')).status).toBe(101);
    // Another claimed address, the same real one: refused.
    expect((await chat(t.url, '203.0.113.2')).status).toBe(429);
  });

  it('refuses to start with a --trust-proxy entry that is not an address', async () => {
    await expect(startTestPlatform({ trustProxy: ['my-balancer'] })).rejects.toThrow(/--trust-proxy takes addresses or networks/);
  });
});
