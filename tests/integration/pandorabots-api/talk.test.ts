import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../../../server/platform.js';
import { ApiClient, type TalkBody } from './api-client.js';

const APP = 'unitest02';
const KEY = 'k3y0123456789abcdef';
let dataDir: string;
let platform: RunningPlatform;
let api: ApiClient;

const TEST_AIML = `<?xml version="1.0" encoding="UTF-8"?>
<aiml version="2.0">
  <category><pattern>XTEST</pattern><template>Yay! This is the expected test response.</template></category>
  <category><pattern>XFRUIT *</pattern><template>The fruit predicate was set to <set name="fruit"><star/></set>.</template></category>
  <category><pattern>GET XFRUIT</pattern><template>The stored fruit predicate is <get name="fruit"/>.</template></category>
  <category><pattern>XREDUCE</pattern><template><srai>XTEST</srai></template></category>
  <category><pattern>XQUESTION</pattern><template>Do you like tea?</template></category>
  <category><pattern>YES</pattern><that>DO YOU LIKE TEA</that><template>Me too.</template></category>
  <category><pattern>YES</pattern><template>Yes what?</template></category>
  <category><pattern>WHAT NOW</pattern><template>No topic.</template></category>
  <topic name="XFRUITS"><category><pattern>WHAT NOW</pattern><template>Talking about fruit.</template></category></topic>
</aiml>
`;

async function compiledBot(name: string, aiml = TEST_AIML): Promise<void> {
  await api.bot('PUT', `/${name}`);
  await api.bot('PUT', `/${name}/file/test.aiml`, { body: aiml });
  const verify = await api.bot('GET', `/${name}/verify`);
  expect(verify.status, verify.text).toBe(200);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-talk-'));
  platform = await startPlatform({ dataDir, logger: false, appId: APP, userKey: KEY });
  api = new ApiClient(platform.url, APP, KEY);
  await compiledBot('testbot');
});
afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const responses = async (p: Promise<{ json: () => unknown; status: number; text: string }>) => {
  const res = await p;
  expect(res.status, res.text).toBe(200);
  return (res.json() as TalkBody).responses;
};

describe('talk over the API', () => {
  it('answers with parameters in the query string (the documented curl form) and in a form body (pb-cli)', async () => {
    const query = await api.talkQuery('testbot', { input: 'xtest' });
    expect(query.status).toBe(200);
    expect(query.headers.get('content-type')).toMatch(/application\/json/);
    const body = query.json() as TalkBody;
    expect(body).toEqual({ status: 'ok', responses: ['Yay! This is the expected test response.'], sessionid: expect.any(Number) });
    expect(body.sessionid).toBeGreaterThan(0);
    expect(body.sessionid).toBeLessThan(2 ** 31);
    expect(await responses(api.talkForm('testbot', { input: 'xtest' }))).toEqual(['Yay! This is the expected test response.']);
  });

  it('the starter bot greets through the API', async () => {
    expect((await responses(api.talkQuery('starter', { input: 'Hello' })))[0]).toMatch(/Starter/);
  });

  it('answers one response per input sentence', async () => {
    expect(await responses(api.talkForm('testbot', { input: 'xtest. xfruit kiwi!' }))).toEqual([
      'Yay! This is the expected test response.',
      'The fruit predicate was set to kiwi.',
    ]);
  });

  it('keeps the sessionid it was given', async () => {
    const res = await api.talkForm('testbot', { input: 'xtest', sessionid: '12345' });
    expect((res.json() as TalkBody).sessionid).toBe(12345);
  });

  it('keeps a client_name\'s predicates during its conversation, and reset=true discards them', async () => {
    await api.talkForm('testbot', { input: 'xfruit apple', client_name: 'client1' });
    expect(await responses(api.talkForm('testbot', { input: 'get xfruit', client_name: 'client1' }))).toEqual(['The stored fruit predicate is apple.']);
    expect(await responses(api.talkForm('testbot', { input: 'get xfruit', client_name: 'client2' }))).toEqual(['The stored fruit predicate is unknown.']);
    expect(await responses(api.talkForm('testbot', { input: 'get xfruit', client_name: 'client1', reset: 'true' }))).toEqual(['The stored fruit predicate is unknown.']);
  });

  it('uses the that parameter instead of the stored one (debugging)', async () => {
    expect(await responses(api.talkForm('testbot', { input: 'yes', client_name: 'thatclient' }))).toEqual(['Yes what?']);
    expect(await responses(api.talkForm('testbot', { input: 'yes', client_name: 'thatclient', that: 'Do you like tea?' }))).toEqual(['Me too.']);
    await api.talkForm('testbot', { input: 'xquestion', client_name: 'thatclient' });
    expect(await responses(api.talkForm('testbot', { input: 'yes', client_name: 'thatclient' }))).toEqual(['Me too.']);
  });

  it('uses the topic parameter instead of the stored one (debugging)', async () => {
    expect(await responses(api.talkForm('testbot', { input: 'what now', client_name: 'topicclient' }))).toEqual(['No topic.']);
    expect(await responses(api.talkQuery('testbot', { input: 'what now', client_name: 'topicclient', topic: 'xfruits' }))).toEqual(['Talking about fruit.']);
    expect(await responses(api.talkForm('testbot', { input: 'what now', client_name: 'topicclient' }))).toEqual(['No topic.']);
  });

  it('returns the trace of every recursion level without a client_name, and never with one', async () => {
    const res = (await api.talkForm('testbot', { input: 'xreduce', trace: 'true' })).json() as TalkBody;
    expect(res.responses).toEqual(['Yay! This is the expected test response.']);
    expect(res.trace).toEqual(
      expect.arrayContaining([
        { level: 0, input: ['XREDUCE'] },
        expect.objectContaining({ matched: expect.arrayContaining(['XREDUCE']), filename: 'test.aiml' }),
        expect.objectContaining({ matched: expect.arrayContaining(['XTEST']), filename: 'test.aiml', template: expect.stringContaining('Yay!') }),
      ]),
    );
    // Entries alternate input, match, input, match... as pb-python reads them.
    res.trace!.forEach((entry, i) => expect(Object.keys(entry as object)).toEqual(i % 2 === 0 ? ['level', 'input'] : ['matched', 'filename', 'template']));
    const withClient = (await api.talkForm('testbot', { input: 'xreduce', trace: 'true', client_name: 'someone' })).json() as TalkBody;
    expect(withClient.trace).toBeUndefined();
  });

  it('atalk creates a persistent client name whose predicates survive a Platform restart', async () => {
    const first = (await api.talkForm('testbot', { input: 'xfruit mango' }, 'atalk')).json() as TalkBody;
    expect(first.client_name).toMatch(new RegExp(`^aiaas-${APP}-user-\\d{4}$`));
    expect(first.responses).toEqual(['The fruit predicate was set to mango.']);
    const second = (await api.talkForm('testbot', { input: 'xtest' }, 'atalk')).json() as TalkBody;
    expect(second.client_name).not.toBe(first.client_name);
    await platform.close();
    platform = await startPlatform({ dataDir, logger: false, appId: APP, userKey: KEY });
    api = new ApiClient(platform.url, APP, KEY);
    expect(await responses(api.talkForm('testbot', { input: 'get xfruit', client_name: first.client_name! }))).toEqual(['The stored fruit predicate is mango.']);
    expect(await responses(api.talkForm('testbot', { input: 'get xfruit', client_name: first.client_name! }, 'atalk'))).toEqual(['The stored fruit predicate is mango.']);
  });

  it('atalk refuses a client_name it did not create', async () => {
    const res = await api.talkForm('testbot', { input: 'xtest', client_name: 'madeupname' }, 'atalk');
    expect(res.status).toBe(400);
  });

  it('talks with the public botkey, in the query and in a form body', async () => {
    const list = (await api.bot('GET', '')).json() as Array<{ botname: string; botkey: string }>;
    const botkey = list.find((b) => b.botname === 'testbot')!.botkey;
    const viaQuery = await api.request('POST', '/talk', { query: { botkey, input: 'xtest' } });
    expect((viaQuery.json() as TalkBody).responses).toEqual(['Yay! This is the expected test response.']);
    const viaForm = await api.request('POST', '/talk', { form: { botkey, input: 'xtest' } });
    expect((viaForm.json() as TalkBody).responses).toEqual(['Yay! This is the expected test response.']);
    const anonymous = (await api.request('POST', '/atalk', { form: { botkey, input: 'xtest' } })).json() as TalkBody;
    expect(anonymous.client_name).toMatch(/^aiaas-/);
    expect((await api.request('POST', '/talk', { query: { botkey: 'not-a-key', input: 'xtest' } })).status).toBe(401);
    expect((await api.request('POST', '/talk', { query: { input: 'xtest' } })).status).toBe(401);
  });

  it('lets a web page on another origin talk with the botkey and read the answer (CORS)', async () => {
    const list = (await api.bot('GET', '')).json() as Array<{ botname: string; botkey: string }>;
    const botkey = list.find((b) => b.botname === 'testbot')!.botkey;
    const preflight = await fetch(`${platform.url}/talk`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const res = await fetch(`${platform.url}/talk`, { method: 'POST', headers: { origin: 'https://shop.example' }, body: new URLSearchParams({ botkey, input: 'xtest' }) });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await res.json()) as TalkBody).responses).toEqual(['Yay! This is the expected test response.']);
    // Bot management is never open to other origins.
    expect((await api.bot('GET', '')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers every documented error status of talk', async () => {
    const cases: Array<[string, Promise<{ status: number; text: string }>, number]> = [
      ['wrong user_key', api.request('POST', `/talk/${APP}/testbot`, { form: { user_key: 'wrongkey123', input: 'xtest' } }), 401],
      ['no user_key', api.request('POST', `/talk/${APP}/testbot`, { form: { input: 'xtest' } }), 401],
      ['unknown app_id', api.request('POST', `/talk/12345/testbot`, { form: { user_key: KEY, input: 'xtest' } }), 412],
      ['bot does not exist', api.talkForm('nosuchbot', { input: 'xtest' }), 412],
      ['invalid botname', api.talkForm('ABCDEFG', { input: 'xtest' }), 400],
      ['no input', api.talkForm('testbot', {}), 400],
      ['input too long', api.talkForm('testbot', { input: 'x'.repeat(2001) }), 400],
      ['invalid client_name', api.talkForm('testbot', { input: 'xtest', client_name: 'Bad Name!' }), 400],
      ['invalid sessionid', api.talkForm('testbot', { input: 'xtest', sessionid: 'abc' }), 400],
      ['sessionid beyond 4 bytes', api.talkForm('testbot', { input: 'xtest', sessionid: String(2 ** 32) }), 400],
      ['GET instead of POST', api.request('GET', `/talk/${APP}/testbot`, { query: { user_key: KEY, input: 'xtest' } }), 405],
      ['malformed path encoding', api.request('POST', `/talk/${APP}/%E0%A4%A`, { form: { user_key: KEY, input: 'x' } }), 400],
      ['oversized form body', api.request('POST', `/talk/${APP}/testbot`, { form: { user_key: KEY, input: 'x', pad: 'y'.repeat(70_000) } }), 400],
    ];
    for (const [what, request, status] of cases) {
      const res = await request;
      expect(res.status, `${what}: ${res.text}`).toBe(status);
      expect(JSON.parse(res.text), what).toMatchObject({ status: 'error', message: expect.any(String) });
    }
  });

  it('a broken upload keeps the bot answering: 412 without recent, the last compiled version with recent, every error from verify', async () => {
    await compiledBot('brokenbot');
    const invalid = '<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n  <category>\n      <pattern>xtest\n      <template>\n          Yay!\n      </template>\n  </category>\n</aiml>\n';
    expect((await api.bot('PUT', '/brokenbot/file/invalid.aiml', { body: invalid })).status).toBe(200);
    expect((await api.talkForm('brokenbot', { input: 'xtest' })).status).toBe(412);
    expect(await responses(api.talkForm('brokenbot', { input: 'xtest', recent: 'true' }))).toEqual(['Yay! This is the expected test response.']);
    const verify = await api.bot('GET', '/brokenbot/verify');
    expect(verify.status).toBe(400);
    const body = verify.json() as { status: string; message: string; results: Array<Record<string, unknown>>; errors: Array<Record<string, unknown>> };
    expect(body.status).toBe('error');
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results[0]).toMatchObject({ file: 'invalid.aiml', filename: 'invalid.aiml', line: expect.any(Number), column: expect.any(Number), message: expect.any(String) });
    expect(body.results[0]!.line as number).toBeGreaterThanOrEqual(3);
    expect(body.errors).toEqual(body.results);
    // Still answering with the last good version, also after the failed verify.
    expect(await responses(api.talkForm('brokenbot', { input: 'xtest', recent: 'true' }))).toEqual(['Yay! This is the expected test response.']);
    // Fixing the file and verifying makes it talk normally again.
    await api.bot('DELETE', '/brokenbot/file/invalid.aiml');
    expect((await api.bot('GET', '/brokenbot/verify')).status).toBe(200);
    expect((await api.talkForm('brokenbot', { input: 'xtest' })).status).toBe(200);
  });

  it('a new version replaces the live one without losing a client\'s predicates', async () => {
    await compiledBot('swapbot');
    const { client_name } = (await api.talkForm('swapbot', { input: 'xfruit cherry' }, 'atalk')).json() as TalkBody;
    const v2 = TEST_AIML.replace('Yay! This is the expected test response.', 'Version two answers.');
    await api.bot('PUT', '/swapbot/file/test.aiml', { body: v2 });
    expect((await api.bot('GET', '/swapbot/verify')).status).toBe(200);
    expect(await responses(api.talkForm('swapbot', { input: 'xtest', client_name: client_name! }))).toEqual(['Version two answers.']);
    expect(await responses(api.talkForm('swapbot', { input: 'get xfruit', client_name: client_name! }))).toEqual(['The stored fruit predicate is cherry.']);
  });

  it('reload=true answers from the live version again', async () => {
    expect(await responses(api.talkForm('testbot', { input: 'xtest', reload: 'true' }))).toEqual(['Yay! This is the expected test response.']);
  });
});
