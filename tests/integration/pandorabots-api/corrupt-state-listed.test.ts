import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../../../server/platform.js';
import { ApiClient } from './api-client.js';

const APP = 'unitest01';
const KEY = 'k3y0123456789abcdef';
let dataDir: string | undefined;
let platform: RunningPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a bot whose state.json was corrupt', () => {
  it('still answers after a restart, and the bot list says its state was reset and where the old file is', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'api-corrupt-state-'));
    platform = await startPlatform({ dataDir, logger: false, appId: APP, userKey: KEY });
    let api = new ApiClient(platform.url, APP, KEY);
    const before = (await api.bot('GET', '')).json() as Array<Record<string, unknown>>;
    expect(before.find((b) => b.botname === 'starter')).not.toHaveProperty('state_file_reset');
    await platform.close();

    writeFileSync(join(dataDir, 'compiled', 'starter', 'state.json'), 'not json at all');
    platform = await startPlatform({ dataDir, logger: false, appId: APP, userKey: KEY });
    api = new ApiClient(platform.url, APP, KEY);
    const talk = await api.talkQuery('starter', { input: 'hello' });
    expect(talk.status).toBe(200);
    const starter = ((await api.bot('GET', '')).json() as Array<Record<string, unknown>>).find((b) => b.botname === 'starter');
    expect(starter).toMatchObject({ compiled: true });
    expect(starter!.state_file_reset).toMatch(/^state\.json was corrupt \(.*JSON.*\) on .*: kept aside at .*state\.json\.corrupt-\d+; the bot was compiled again from its files$/);
  });
});
