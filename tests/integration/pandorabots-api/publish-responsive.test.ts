import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../../../server/platform.js';
import { generatedBot } from '../aiml/generated-bot.js';
import { ApiClient, type TalkBody } from './api-client.js';

const APP = 'unitest04';
const KEY = 'k3y0123456789abcdef';
let dataDir: string;
let platform: RunningPlatform;
let api: ApiClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-responsive-'));
  platform = await startPlatform({ dataDir, logger: false, appId: APP, userKey: KEY });
  api = new ApiClient(platform.url, APP, KEY);
});
afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('publishing a large bot', () => {
  it('other conversations keep being answered promptly while it compiles', async () => {
    expect((await api.bot('PUT', '/bigbot')).status).toBe(200);
    for (const [path, content] of Object.entries(generatedBot(10))) {
      const [folder, name] = path.split('/') as [string, string];
      const route = folder === 'aiml' ? `/bigbot/file/${name}` : folder === 'sets' ? `/bigbot/set/${name.replace('.set', '')}` : `/bigbot/map/${name.replace('.map', '')}`;
      const upload = await api.bot('PUT', route, { body: content });
      expect(upload.status, upload.text).toBe(200);
    }

    let verified = false;
    const started = performance.now();
    const verifying = api.bot('GET', '/bigbot/verify').then((res) => {
      verified = true;
      return res;
    });
    // A visitor keeps talking to another bot on the same Platform during the publish.
    const latencies: number[] = [];
    while (!verified) {
      const sent = performance.now();
      const res = await api.talkForm('starter', { input: 'hello', client_name: 'visitor' });
      if (!verified) latencies.push(performance.now() - sent);
      expect((res.json() as TalkBody).responses[0]).toMatch(/Starter/);
    }
    const verify = await verifying;
    const verifyMs = performance.now() - started;
    expect(verify.status, verify.text).toBe(200);
    expect(((await api.talkForm('bigbot', { input: 'ba ga' })).json() as TalkBody).responses).toEqual(['Answer 0.']);

    // Compiled in one go, the Platform could not answer anyone until the compile ended: a talk sent meanwhile
    // would wait most of the verify. In slices, the visitor is answered many times, each time quickly.
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(verifyMs / 3);
  });
});
