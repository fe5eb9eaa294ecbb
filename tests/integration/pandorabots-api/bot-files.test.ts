import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../../../server/platform.js';
import { needing, unzipTool } from '../../support/requirements.js';
import { ApiClient, type TalkBody } from './api-client.js';

const APP = 'unitest01';
const KEY = 'k3y0123456789abcdef';
let dataDir: string;
let platform: RunningPlatform;
let api: ApiClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-files-'));
  platform = await startPlatform({ dataDir, logger: false, appId: APP, userKey: KEY });
  api = new ApiClient(platform.url, APP, KEY);
});
afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const TEST_AIML = `<?xml version="1.0" encoding="UTF-8"?>
<aiml version="2.0">
  <category><pattern>XTEST</pattern><template>Yay! This is the expected test response.</template></category>
  <category><pattern>XFRUIT *</pattern><template>The fruit predicate was set to <set name="fruit"><star/></set>.</template></category>
  <category><pattern>GET XFRUIT</pattern><template>The stored fruit predicate is <get name="fruit"/>.</template></category>
  <category><pattern>IS <set>colors</set> A COLOR</pattern><template>Yes, <star/> is a color.</template></category>
  <category><pattern>NEXT SEASON AFTER *</pattern><template><map name="seasons"><star/></map></template></category>
  <category><pattern>WHO AM I</pattern><template>You are <get name="role"/>, talking to <bot name="name"/>.</template></category>
</aiml>
`;

describe('bot file life cycle over the API', () => {
  it('create, upload every kind, verify, talk with extra, remove a file, verify again, delete', async () => {
    expect((await api.bot('PUT', '/filebot')).json()).toEqual({ status: 'ok' });
    expect((await api.bot('PUT', '/filebot/file/test.aiml', { body: TEST_AIML })).status).toBe(200);
    expect((await api.bot('PUT', '/filebot/set/colors', { body: '[["red"],["blue"],["green"]]' })).status).toBe(200);
    expect((await api.bot('PUT', '/filebot/map/seasons', { body: '[["winter","spring"],["spring","summer"]]' })).status).toBe(200);
    expect((await api.bot('PUT', '/filebot/substitution/normal', { body: '[[" colour ", " color "]]' })).status).toBe(200);
    expect((await api.bot('PUT', '/filebot/properties', { body: '[["name","Filebot"],["default-get","unknown"]]' })).status).toBe(200);
    expect((await api.bot('PUT', '/filebot/pdefaults', { body: '[["role","a tester"]]' })).status).toBe(200);

    // Uploaded but not compiled: Pandorabots answers 412.
    expect((await api.talkQuery('filebot', { input: 'xtest' })).status).toBe(412);
    const verify = await api.bot('GET', '/filebot/verify');
    expect(verify.status, verify.text).toBe(200);
    expect(verify.json()).toMatchObject({ status: 'ok' });

    const talk = await api.talkForm('filebot', { input: 'xtest', extra: 'true' });
    expect(talk.status).toBe(200);
    const body = talk.json() as TalkBody;
    expect(body).toMatchObject({ status: 'ok', responses: ['Yay! This is the expected test response.'] });
    expect(body.sessionid).toEqual(expect.any(Number));
    expect(body.patterns).toEqual(['XTEST']);
    expect(body.filenames).toEqual(['test.aiml']);
    expect(body.templates?.[0]).toContain('Yay!');
    expect(body.thats).toHaveLength(1);
    expect(body.topics).toHaveLength(1);

    // The set, map, substitution, properties and pdefaults are all in effect.
    expect(((await api.talkQuery('filebot', { input: 'is blue a colour' })).json() as TalkBody).responses).toEqual(['Yes, blue is a color.']);
    expect(((await api.talkQuery('filebot', { input: 'next season after winter' })).json() as TalkBody).responses).toEqual(['spring']);
    expect(((await api.talkQuery('filebot', { input: 'who am i' })).json() as TalkBody).responses).toEqual(['You are a tester, talking to Filebot.']);

    // The file list has Pandorabots' shape, which pb-cli turns back into file names.
    const listing = (await api.bot('GET', '/filebot')).json() as Record<string, unknown>;
    expect(listing).toMatchObject({
      botname: 'filebot',
      properties: [
        ['name', 'Filebot'],
        ['default-get', 'unknown'],
      ],
      pdefaults: [['role', 'a tester']],
      sets: [{ name: 'colors' }],
      maps: [{ name: 'seasons' }],
    });
    expect(listing.files).toContainEqual({ name: 'test.aiml' });
    expect(listing.substitutions).toContainEqual({ name: 'normal' });

    // Get a file back byte for byte.
    const got = await api.bot('GET', '/filebot/file/test.aiml');
    expect(got.status).toBe(200);
    expect(got.text).toBe(TEST_AIML);
    expect((await api.bot('GET', '/filebot/pdefaults')).json()).toEqual([['role', 'a tester']]);

    // Remove a file and verify again: its category is gone, the rest still answers.
    expect((await api.bot('PUT', '/filebot/file/more.aiml', { body: '<aiml version="2.0"><category><pattern>XMORE</pattern><template>More here.</template></category></aiml>' })).status).toBe(200);
    expect((await api.bot('GET', '/filebot/verify')).status).toBe(200);
    expect(((await api.talkQuery('filebot', { input: 'xmore' })).json() as TalkBody).responses).toEqual(['More here.']);
    expect((await api.bot('DELETE', '/filebot/file/more.aiml')).json()).toEqual({ status: 'ok' });
    expect((await api.bot('DELETE', '/filebot/file/more.aiml')).status).toBe(412);
    expect((await api.bot('GET', '/filebot/file/more.aiml')).status).toBe(412);
    expect((await api.bot('GET', '/filebot/verify')).status).toBe(200);
    expect(((await api.talkQuery('filebot', { input: 'xmore' })).json() as TalkBody).responses).toEqual(['I have not learned how to answer that yet.']);
    expect(((await api.talkQuery('filebot', { input: 'xtest' })).json() as TalkBody).responses).toEqual(['Yay! This is the expected test response.']);
    expect((await api.bot('GET', '/filebot')).json()).not.toMatchObject({ files: expect.arrayContaining([{ name: 'more.aiml' }]) });

    expect((await api.bot('DELETE', '/filebot')).json()).toEqual({ status: 'ok' });
    expect((await api.bot('GET', '/filebot')).status).toBe(404);
    expect((await api.talkQuery('filebot', { input: 'xtest' })).status).toBe(412);
    expect((await api.bot('DELETE', '/filebot')).status).toBe(412);
    expect(existsSync(join(dataDir, 'bots', 'filebot'))).toBe(false);
  });

  it('lists bots with their names and public botkeys', async () => {
    const list = (await api.bot('GET', '')).json() as Array<{ botname: string; botkey: string; compiled: boolean }>;
    expect(list.map((b) => b.botname)).toContain('starter');
    const starter = list.find((b) => b.botname === 'starter')!;
    expect(starter.compiled).toBe(true);
    expect(starter.botkey).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('answers every documented error status of bot and file management', async () => {
    await api.bot('PUT', '/errbot');
    const cases: Array<[string, string, { body?: string; userKey?: string; appId?: string }, number]> = [
      ['GET', '', { userKey: 'wrongkey123' }, 401],
      ['GET', '', { appId: 'otherapp' }, 401],
      ['PUT', '/errbot', {}, 409],
      ['PUT', '/ErrBot', {}, 400],
      ['PUT', '/ab', {}, 400],
      ['DELETE', '/nosuchbot', {}, 412],
      ['DELETE', '/Bad_Name', {}, 400],
      ['GET', '/nosuchbot', {}, 404],
      ['GET', '/ABCDEFG', {}, 400],
      ['PUT', '/errbot/script/x', { body: 'x' }, 404],
      ['GET', '/errbot/script/x', {}, 404],
      ['PUT', '/errbot/file/bad..name.aiml', { body: '<aiml/>' }, 400],
      ['PUT', '/errbot/file/noextension', { body: '<aiml/>' }, 400],
      ['PUT', '/errbot/set/colors', { body: '[["red"' }, 400],
      ['PUT', '/errbot/map/m', { body: '[["a","b"],["fooz"]]' }, 400],
      ['PUT', '/errbot/properties', { body: '{"name":"x"}' }, 400],
      ['PUT', '/nosuchbot/file/a.aiml', { body: '<aiml/>' }, 412],
      ['GET', '/errbot/file/missing.aiml', {}, 412],
      ['GET', '/errbot/file/Bad.aiml', {}, 400],
      ['DELETE', '/errbot/set/missing', {}, 412],
      ['GET', '/nosuchbot/verify', {}, 400],
      ['GET', '/ABCDEFG/verify', {}, 400],
      ['GET', '/errbot/verify', { userKey: 'wrongkey123' }, 401],
      ['POST', '/errbot', {}, 405],
    ];
    for (const [method, path, options, status] of cases) {
      const res = await api.bot(method, path, options);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
      expect((res.json() as { message?: string }).message, `${method} ${path}`).toEqual(expect.any(String));
    }
  });

  it('refuses hostile file names and writes nothing outside the bot folder', async () => {
    await api.bot('PUT', '/hostile');
    for (const name of ['..%2F..%2Fescape.aiml', '%2E%2E.aiml', 'a%00b.aiml', 'caf%C3%A9.aiml', '%2Fetc%2Fpasswd.aiml', 'con.aiml', '.hidden.aiml']) {
      const res = await api.request('PUT', `/bot/${APP}/hostile/file/${name}`, { query: { user_key: KEY }, body: '<aiml/>' });
      expect(res.status, name).toBe(400);
    }
    const traversal = await api.request('PUT', `/bot/${APP}/hostile/file/..%2F..%2F..%2Fescape`, { query: { user_key: KEY }, body: '[]' });
    expect(traversal.status).toBe(400);
    expect(readdirSync(join(dataDir, 'bots', 'hostile', 'aiml'))).toEqual(['udc.aiml']);
    expect(existsSync(join(dataDir, 'escape.aiml'))).toBe(false);
    expect(existsSync(join(dataDir, 'bots', 'escape.aiml'))).toBe(false);
  });

  it('never resolves external entities in uploaded AIML: verify reports the entity, nothing leaks', async () => {
    await api.bot('PUT', '/xxebot');
    await api.bot('PUT', '/xxebot/file/main.aiml', { body: '<aiml version="2.0"><category><pattern>XXE</pattern><template>Safe.</template></category></aiml>' });
    expect((await api.bot('GET', '/xxebot/verify')).status).toBe(200);
    const hostile = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE aiml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<aiml version="2.0"><category><pattern>XXE</pattern><template>Secret: &secret;</template></category></aiml>\n`;
    expect((await api.bot('PUT', '/xxebot/file/main.aiml', { body: hostile })).status).toBe(200);
    const verify = await api.bot('GET', '/xxebot/verify');
    expect(verify.status).toBe(400);
    expect(verify.text).not.toContain('root:');
    expect((verify.json() as { results: Array<{ filename: string; line: number; message: string }> }).results[0]).toMatchObject({ filename: 'main.aiml', line: 3, message: expect.stringMatching(/entity/) });
    const talk = await api.talkForm('xxebot', { input: 'xxe', recent: 'true' });
    expect((talk.json() as TalkBody).responses).toEqual(['Safe.']);
  });

  it('refuses a file over 2 MB with 400 and keeps the bot as it was', async () => {
    await api.bot('PUT', '/bigfile');
    const res = await api.bot('PUT', '/bigfile/file/big.aiml', { body: Buffer.alloc(2 * 1024 * 1024 + 10, 'a') });
    expect(res.status).toBe(400);
    expect((res.json() as { message: string }).message).toMatch(/2 MB/);
    expect((await api.bot('GET', '/bigfile/file/big.aiml')).status).toBe(412);
  });

  it.skipIf(!unzipTool.met)(needing('downloads the bot as a real zip of its files (return=zip)', unzipTool), async () => {
    const res = await api.bot('GET', '/starter', { query: { return: 'zip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const dir = mkdtempSync(join(tmpdir(), 'zip-'));
    try {
      writeFileSync(join(dir, 'starter.zip'), res.bytes);
      execFileSync('unzip', ['-q', join(dir, 'starter.zip'), '-d', join(dir, 'out')]);
      const names = readdirSync(join(dir, 'out')).sort();
      expect(names).toEqual(expect.arrayContaining(['starter.aiml', 'udc.aiml', 'normal.substitution', 'starter.properties', 'starter.pdefaults']));
      const direct = await api.bot('GET', '/starter/file/starter.aiml');
      expect(execFileSync('cat', [join(dir, 'out', 'starter.aiml')]).equals(direct.bytes)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
