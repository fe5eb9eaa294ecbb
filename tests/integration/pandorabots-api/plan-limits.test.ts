import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ManagedBotRegistry, openBotRegistry } from '../../../server/bots/registry.js';
import { type ApiExchange, createPandorabotsApi, resolveApiCredentials } from '../../../server/pandorabots-api/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ApiClient } from './api-client.js';

// The Platform starts the API with the default plan; these limits are tested on the API handler alone, with
// tiny limits and a fake clock, behind a real HTTP server.
let dataDir: string;
let registry: ManagedBotRegistry;
let server: Server;
let api: ApiClient;
let clock: ManualClock;
const recorded: ApiExchange[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-limits-'));
  clock = new ManualClock();
  const logger = pino({ level: 'silent' });
  registry = await openBotRegistry({ dataDir, clock, logger, seedStarterBot: true });
  const { credentials } = resolveApiCredentials({ dataDir, appId: 'limitapp', userKey: 'limitkey123' });
  const handler = createPandorabotsApi({
    registry,
    credentials,
    clock,
    logger,
    conversations: { record: (e) => void recorded.push(e), logRows: () => [] },
    limits: { talkCallsPerMinute: 3, maxBots: 2, maxAnonymousClients: 2 },
  });
  server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404, { 'x-handled-by': 'platform' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'limitapp', 'limitkey123');
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await registry.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('plan-style limits', () => {
  it('answers 429 once the talk calls of this minute are used up, and talks again the next minute', async () => {
    for (let i = 0; i < 3; i++) expect((await api.talkForm('starter', { input: 'hello' })).status).toBe(200);
    const refused = await api.talkForm('starter', { input: 'hello' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(60_000);
    expect((await api.talkForm('starter', { input: 'hello' })).status).toBe(200);
  });

  it('answers 401 to creating more bots than the plan allows', async () => {
    expect((await api.bot('PUT', '/second')).status).toBe(200);
    const third = await api.bot('PUT', '/third');
    expect(third.status).toBe(401);
    expect((third.json() as { message: string }).message).toMatch(/plan allows 2 bots/);
  });

  it('answers 429 when the app created all the anonymous clients its plan allows', async () => {
    expect((await api.talkForm('starter', { input: 'hi' }, 'atalk')).status).toBe(200);
    expect((await api.talkForm('starter', { input: 'hi' }, 'atalk')).status).toBe(200);
    expect((await api.talkForm('starter', { input: 'hi' }, 'atalk')).status).toBe(429);
  });

  it('logs each exchange through the ApiConversationLog port with client and session', async () => {
    recorded.length = 0;
    await api.talkForm('starter', { input: 'hello', client_name: 'porttest', sessionid: '77' });
    expect(recorded).toEqual([
      expect.objectContaining({ bot: 'starter', clientName: 'porttest', sessionId: 77, input: 'hello', at: clock.now(), answer: expect.objectContaining({ text: expect.stringMatching(/Starter/) }) }),
    ]);
  });

  it('leaves other paths to the Platform', async () => {
    for (const path of ['/chat/starter', '/botanics', '/talking', '/healthz']) {
      expect((await api.request('GET', path)).headers.get('x-handled-by'), path).toBe('platform');
    }
    expect((await api.request('GET', '/bot/limitapp', { query: { user_key: 'limitkey123' } })).headers.get('x-handled-by')).toBeNull();
  });
});
