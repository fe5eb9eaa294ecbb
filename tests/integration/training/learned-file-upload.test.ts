/**
 * An uploaded `pand_livetraining.aiml` (the Pandorabots API's PUT, which Studio's "Publish to this Platform" uses) is
 * imported into the bot's learned categories: it is not lost at the next learned change, it never overwrites a
 * category changed on the Platform since (a conflict in the upload's answer), and it never deletes what was learned.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeTemplateText, serializeCategories, type CategorySpec } from '../../../aiml/index.js';
import type { LearnedCategory } from '../../../protocol/learned.js';
import { ApiClient, type TalkBody } from '../pandorabots-api/api-client.js';
import { DesignerClient } from '../server/support/clients.js';
import { startTestPlatform } from '../server/support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

const APP = 'uploadapp1';
const KEY = 'k3y0123456789upload';

const fileOf = (categories: CategorySpec[]) => serializeCategories(categories, { botName: 'starter', generatedAt: new Date(Date.UTC(2026, 11, 6)) });

describe('an uploaded pand_livetraining.aiml becomes learned categories of the bot', () => {
  let t: TestPlatform;
  let api: ApiClient;
  let designer: DesignerClient;
  beforeEach(async () => {
    t = await startTestPlatform({ appId: APP, userKey: KEY });
    api = new ApiClient(t.url, APP, KEY);
    designer = await DesignerClient.connect(t.url, t.ada.token);
  });
  afterEach(async () => {
    await designer.close();
    await t.close();
  });

  const learned = async () => (await designer.request('learned.list', { bot: 'starter' })).categories;
  const byPattern = async (pattern: string) => (await learned()).find((c) => c.pattern === pattern);
  const talk = async (input: string) => ((await api.talkForm('starter', { input, recent: 'true' })).json() as TalkBody).responses[0];
  const capture = async (pattern: string, template: string): Promise<LearnedCategory> =>
    (await designer.request('learned.apply', { bot: 'starter', op: { kind: 'capture', baseVersion: 0, fields: { pattern, that: '*', topic: '*', template } } })).categories[0]!;
  const put = async (xml: string) => {
    const res = await api.bot('PUT', '/starter/file/pand_livetraining.aiml', { body: xml });
    expect(res.status, res.text).toBe(200);
    return res.json() as { status: string; conflicts?: Array<{ pattern: string; line: number; message: string }> };
  };

  it('the uploaded categories are learned, answer at once, and are still in the file after the next learned change', async () => {
    await capture('DO YOU DELIVER', 'Yes, in Lyon.');
    await capture('WHAT ARE YOUR OPENING HOURS', 'Nine to five.');
    const answer = await put(
      fileOf([
        { pattern: 'DO YOU SHIP TO CANADA', template: escapeTemplateText('Yes: 5-7 days & free over $50.') },
        { pattern: 'WHAT ARE YOUR OPENING HOURS', template: 'Nine to six on Fridays.' },
      ]),
    );
    expect(answer).toEqual({ status: 'ok' });
    // New, updated, and what the file did not hold is kept: nothing learned is lost.
    expect(await byPattern('DO YOU SHIP TO CANADA')).toMatchObject({ status: 'approved', createdBy: { name: 'Pandorabots API upload' } });
    expect(await byPattern('WHAT ARE YOUR OPENING HOURS')).toMatchObject({ template: 'Nine to six on Fridays.', version: 2 });
    expect(await byPattern('DO YOU DELIVER')).toMatchObject({ template: 'Yes, in Lyon.' });
    // Live without a verify.
    expect(await talk('Do you ship to Canada?')).toBe('Yes: 5-7 days & free over $50.');

    // The next learned change rewrites the file from the learned categories: the uploaded ones are in it.
    await capture('DO YOU SELL GIFT CARDS', 'Yes, at the till.');
    await t.platform.learnedSettled();
    const file = (await api.bot('GET', '/starter/file/pand_livetraining.aiml')).text;
    for (const text of ['DO YOU SHIP TO CANADA', 'free over $50', 'Nine to six on Fridays.', 'Yes, in Lyon.', 'Yes, at the till.']) expect(file).toContain(text);
    expect(file).not.toContain('Nine to five.');
    const history = (await designer.request('learned.history', { bot: 'starter', categoryId: (await byPattern('WHAT ARE YOUR OPENING HOURS'))!.id })).entries;
    expect(history[0]).toMatchObject({ kind: 'import', before: { template: 'Nine to five.' }, after: { template: 'Nine to six on Fridays.' } });
  });

  it('an uploaded answer that is an older version of a category changed on the Platform since is a conflict: the Platform keeps its version', async () => {
    const first = await capture('DO YOU DELIVER', 'Yes, in Lyon.');
    // The uploader's copy is taken now; then a designer changes the category on the Platform.
    const copy = fileOf([
      { pattern: 'DO YOU DELIVER', template: 'Yes, in Lyon.' },
      { pattern: 'DO YOU DELIVER ON SUNDAYS', template: 'No.' },
    ]);
    await designer.request('learned.apply', { bot: 'starter', op: { kind: 'edit', id: first.id, baseVersion: 1, fields: { template: 'Yes, in all of France.' } } });
    const answer = await put(copy);
    expect(answer.status).toBe('ok');
    expect(answer.conflicts).toHaveLength(1);
    expect(answer.conflicts![0]).toMatchObject({ pattern: 'DO YOU DELIVER', line: expect.any(Number) as unknown });
    expect(answer.conflicts![0]!.message).toMatch(/changed on the Platform since this file was made \(by Ada.*"Yes, in all of France\." is kept/);
    expect(await byPattern('DO YOU DELIVER')).toMatchObject({ template: 'Yes, in all of France.', version: 2 });
    expect(await byPattern('DO YOU DELIVER ON SUNDAYS')).toMatchObject({ template: 'No.' });
    expect(await talk('Do you deliver?')).toBe('Yes, in all of France.');
  });

  it('a verify right after an upload compiles the Platform’s own file: a category deleted after it stops answering', async () => {
    await put(fileOf([{ pattern: 'DO YOU SHIP TO MARS', template: 'Every Tuesday.' }]));
    const verify = await api.bot('GET', '/starter/verify');
    expect(verify.status, verify.text).toBe(200);
    expect(await talk('Do you ship to Mars?')).toBe('Every Tuesday.');
    const category = (await byPattern('DO YOU SHIP TO MARS'))!;
    await designer.request('learned.apply', { bot: 'starter', op: { kind: 'delete', id: category.id, baseVersion: category.version } });
    expect(await talk('Do you ship to Mars?')).not.toBe('Every Tuesday.');
  });

  it('a file that is not well-formed is stored as given and verify says what is wrong; nothing learned changes', async () => {
    await capture('DO YOU DELIVER', 'Yes, in Lyon.');
    await put('<aiml version="2.0"><category><pattern>BROKEN</pattern><template>oops</category></aiml>');
    const verify = await api.bot('GET', '/starter/verify');
    expect(verify.status).toBe(400);
    expect((verify.json() as { results: Array<{ filename: string }> }).results[0]!.filename).toBe('pand_livetraining.aiml');
    expect((await learned()).map((c) => c.template)).toEqual(['Yes, in Lyon.']);
    expect(await talk('Do you deliver?')).toBe('Yes, in Lyon.');
  });

  it('with review on, an uploaded category is live (the file is the approved set) but a draft it repeats stays a draft for its reviewer', async () => {
    await designer.request('bot.updateSettings', { bot: 'starter', patch: { reviewLearnedAnswers: true } });
    await capture('DO YOU DELIVER', 'Yes, in Lyon.');
    expect(await put(fileOf([
      { pattern: 'DO YOU DELIVER', template: 'Yes, in Lyon.' },
      { pattern: 'DO YOU SHIP TO MARS', template: 'Every Tuesday.' },
    ]))).toEqual({ status: 'ok' });
    expect(await byPattern('DO YOU DELIVER')).toMatchObject({ status: 'draft', version: 1 });
    expect(await byPattern('DO YOU SHIP TO MARS')).toMatchObject({ status: 'approved' });
    expect(await talk('Do you ship to Mars?')).toBe('Every Tuesday.');
    expect(await talk('Do you deliver?')).not.toBe('Yes, in Lyon.');
  });

  it('deleting the file through the API deletes its (approved) categories as one operation that undo brings back', async () => {
    await capture('DO YOU DELIVER', 'Yes, in Lyon.');
    expect((await api.bot('DELETE', '/starter/file/pand_livetraining.aiml')).json()).toEqual({ status: 'ok' });
    expect(await learned()).toEqual([]);
    const [entry] = (await designer.request('learned.history', { bot: 'starter', limit: 1 })).entries;
    expect(entry).toMatchObject({ kind: 'delete', designer: { name: 'Pandorabots API upload' } });
    await designer.request('learned.apply', { bot: 'starter', op: { kind: 'undo', opId: entry!.opId, baseVersion: 0 } });
    expect((await learned()).map((c) => c.template)).toEqual(['Yes, in Lyon.']);
  });
});
