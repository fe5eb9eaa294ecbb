import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeTemplateText, serializeCategories } from '../../../aiml/index.js';
import { type RunningPlatform, startPlatform } from '../../../server/platform.js';
import { ApiClient, type TalkBody } from './api-client.js';

const APP = 'unitest03';
const KEY = 'k3y0123456789abcdef';
let dataDir: string;
let platform: RunningPlatform;
let api: ApiClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-publish-'));
  platform = await startPlatform({ dataDir, logger: false, appId: APP, userKey: KEY });
  api = new ApiClient(platform.url, APP, KEY);
});
afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What Studio publishes after a designer answered "what are your opening hours" in a conversation. */
const LIVE_TRAINING = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Live Training categories for starter -->
<aiml version="2.0">
  <category>
    <pattern>WHAT ARE YOUR OPENING HOURS</pattern>
    <template>We are open 9 to 5, Monday to Friday &amp; on Saturday mornings.</template>
  </category>
  <category>
    <pattern>YES</pattern>
    <that>DO YOU LIKE ROBOTS</that>
    <template>So do I, they are great company.</template>
  </category>
</aiml>
`;

describe('publishing pand_livetraining.aiml', () => {
  it('after upload and verify the bot answers the trained input with the trained reply', async () => {
    // Start from the bot without a learned file, whichever test of this file ran first (they share one Platform).
    await api.bot('DELETE', '/starter/file/pand_livetraining.aiml');
    expect((await api.bot('GET', '/starter/verify')).status).toBe(200);
    const before = (await api.talkForm('starter', { input: 'What are your opening hours?', extra: 'true' })).json() as TalkBody;
    expect(before.responses[0]).toMatch(/not (know|learned)/);
    expect((await api.bot('PUT', '/starter/file/pand_livetraining.aiml', { body: LIVE_TRAINING })).json()).toEqual({ status: 'ok' });
    expect((await api.bot('GET', '/starter/verify')).json()).toMatchObject({ status: 'ok' });
    const after = (await api.talkForm('starter', { input: 'What are your opening hours?', extra: 'true' })).json() as TalkBody;
    expect(after.responses).toEqual(['We are open 9 to 5, Monday to Friday & on Saturday mornings.']);
    expect(after.filenames).toEqual(['pand_livetraining.aiml']);
    // The rest of the bot is unchanged.
    expect((await api.talkForm('starter', { input: 'hello' })).json()).toMatchObject({ responses: [expect.stringMatching(/Starter/)] });
    // A category with a that answers only after the matching bot reply.
    expect((await api.talkForm('starter', { input: 'yes', that: 'Do you like robots?' })).json()).toMatchObject({ responses: ['So do I, they are great company.'] });
    expect((await api.bot('GET', '/starter')).json()).toMatchObject({ files: expect.arrayContaining([{ name: 'pand_livetraining.aiml' }]) });
  });

  it('a file written by the category writer Studio uses is accepted and answers, special characters intact', async () => {
    const xml = serializeCategories(
      [
        { pattern: 'DO YOU SHIP TO CANADA', template: escapeTemplateText('Yes: 5-7 days & free over $50 <see "terms">. Would you like the rates?') },
        { pattern: 'YES', that: 'WOULD YOU LIKE THE RATES', template: escapeTemplateText("It's $9 & up.") },
      ],
      { botName: 'starter', generatedAt: new Date(Date.UTC(2026, 10, 25)) },
    );
    await api.bot('PUT', '/starter/file/pand_livetraining.aiml', { body: xml });
    const verify = await api.bot('GET', '/starter/verify');
    expect(verify.status, verify.text).toBe(200);
    try {
      expect((await api.talkForm('starter', { input: 'Do you ship to Canada?', client_name: 'shopper' })).json()).toMatchObject({
        responses: ['Yes: 5-7 days & free over $50 <see "terms">. Would you like the rates?'],
      });
      // The second category answers only right after the first (its <that> is the bot's last sentence).
      expect((await api.talkForm('starter', { input: 'yes', client_name: 'shopper' })).json()).toMatchObject({ responses: ["It's $9 & up."] });
      expect((await api.talkForm('starter', { input: 'yes', client_name: 'shopper' })).json()).not.toMatchObject({ responses: ["It's $9 & up."] });
    } finally {
      await api.bot('PUT', '/starter/file/pand_livetraining.aiml', { body: LIVE_TRAINING });
      expect((await api.bot('GET', '/starter/verify')).status).toBe(200);
    }
  });

  it('a publish that does not compile leaves the bot answering as before', async () => {
    // Its own good version first: in a shuffled run this test may come before the others of this file.
    await api.bot('PUT', '/starter/file/pand_livetraining.aiml', { body: LIVE_TRAINING });
    expect((await api.bot('GET', '/starter/verify')).status).toBe(200);
    await api.bot('PUT', '/starter/file/pand_livetraining.aiml', { body: LIVE_TRAINING.replace('</template>', '') });
    const verify = await api.bot('GET', '/starter/verify');
    expect(verify.status).toBe(400);
    expect((verify.json() as { results: Array<{ filename: string }> }).results[0]!.filename).toBe('pand_livetraining.aiml');
    expect((await api.talkForm('starter', { input: 'What are your opening hours?', recent: 'true' })).json()).toMatchObject({
      responses: ['We are open 9 to 5, Monday to Friday & on Saturday mornings.'],
    });
    await api.bot('PUT', '/starter/file/pand_livetraining.aiml', { body: LIVE_TRAINING });
    expect((await api.bot('GET', '/starter/verify')).status).toBe(200);
  });
});

describe('logs download', () => {
  it('downloads the bot\'s exchanges as TSV with time, client, channel, input, reply, match and default flag', async () => {
    await api.talkForm('starter', { input: 'Who are you?', client_name: 'logclient' });
    await api.talkForm('starter', { input: 'Where is the moon made?', client_name: 'logclient' });
    const res = await api.bot('GET', '/starter/logs');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/tab-separated-values/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="logs_\d+-\d+-\d{4} - \d+-\d+-\d{4}\.tsv"/);
    const lines = res.text.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(lines[0]).toEqual(['time', 'client_name', 'channel', 'input', 'reply', 'pattern', 'that', 'topic', 'file', 'default_category']);
    const who = lines.find((l) => l[3] === 'Who are you?');
    expect(who).toBeDefined();
    expect(who!.slice(1, 3)).toEqual(['logclient', 'api']);
    expect(who![4]).toMatch(/Starter/);
    expect(who![8]).toBe('starter.aiml');
    expect(who![9]).toBe('no');
    const moon = lines.find((l) => l[3] === 'Where is the moon made?');
    expect(moon![9]).toBe('yes');
    expect(moon![8]).toBe('udc.aiml');
  });

  it('limits the window with from and to, and refuses a bad time', async () => {
    const future = Date.now() + 3600_000;
    const empty = await api.bot('GET', '/starter/logs', { query: { from: String(future), to: String(future + 1000) } });
    expect(empty.text.trimEnd().split('\n')).toHaveLength(1);
    expect((await api.bot('GET', '/starter/logs', { query: { from: 'yesterday' } })).status).toBe(400);
    expect((await api.bot('GET', '/nosuchbot/logs')).status).toBe(404);
    expect((await api.bot('GET', '/starter/logs', { userKey: 'wrongkey123' })).status).toBe(401);
  });
});
