import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LearnedCategory, LearnedConflict } from '../../../protocol/learned.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { startTestPlatform } from '../server/support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

const QUESTION = 'What are your opening hours?';
const ANSWER = 'We are open from nine to five.';

/** An end user's first message in a new conversation, and the bot's reply to it. */
async function askAsNewUser(url: string, text: string): Promise<string> {
  const user = await ChatClient.connect(url);
  const sent = await user.say(text);
  const reply = await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply');
  await user.close();
  return reply.text;
}

/** A user asks; a designer takes over and answers; returns the conversation id. */
async function answerLive(url: string, designer: DesignerClient, question: string, answer: string): Promise<string> {
  const user = await ChatClient.connect(url);
  const sent = await user.say(question);
  await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply');
  const { conversations } = await designer.request('conversation.list', { filter: 'all' });
  const conversation = conversations.find((c) => c.lastMessage?.seq === sent.seq + 1 && c.state === 'active')!;
  await designer.request('conversation.reply', { conversationId: conversation.id, text: answer });
  await user.close();
  return conversation.id;
}

async function learnedChanged(designer: DesignerClient, test: (c: LearnedCategory) => boolean, what: string): Promise<LearnedCategory> {
  const envelope = await designer.waitForEvent((e) => e.event.type === 'learned.changed' && e.event.change.categories.some(test), what);
  if (envelope.event.type !== 'learned.changed') throw new Error('unreachable');
  return envelope.event.change.categories.find(test)!;
}

describe('the Platform is the home of each bot’s learned categories', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await startTestPlatform();
  });
  afterEach(async () => {
    await t.close();
  });

  it('a designer reply becomes a category of the bot: a new conversation asking the same question gets the trained answer', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    expect(await askAsNewUser(t.url, QUESTION)).not.toBe(ANSWER);
    const conversationId = await answerLive(t.url, designer, QUESTION, ANSWER);

    const category = await learnedChanged(designer, (c) => c.template === 'We are open from nine to five.', 'the captured category');
    // Captured without <that>: a new user asking the same words gets it, whatever the bot said before.
    expect(category).toMatchObject({ pattern: 'WHAT ARE YOUR OPENING HOURS', that: '*', topic: '*', status: 'approved', version: 1 });
    expect(category.source).toMatchObject({ conversationId, input: QUESTION, inputSeq: 1 });
    expect(category.createdBy.name).toBe('Ada');

    await t.platform.learnedSettled();
    expect(await askAsNewUser(t.url, QUESTION)).toBe(ANSWER);
    const { categories } = await designer.request('learned.list', { bot: 'starter' });
    expect(categories.map((c) => c.pattern)).toEqual(['WHAT ARE YOUR OPENING HOURS']);
    await designer.close();
  });

  it('of several sentences, the question the bot could not answer becomes the pattern; the others are offered as candidates', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    await answerLive(t.url, designer, 'Do you deliver? I live in Lyon.', 'Yes, to Lyon too.');
    const category = await learnedChanged(designer, (c) => c.template === 'Yes, to Lyon too.', 'the captured category');
    expect(category).toMatchObject({ pattern: 'DO YOU DELIVER', that: '*' });
    expect(category.source?.candidates?.map((c) => c.input)).toEqual(['I live in Lyon.']);
    await designer.close();
  });

  it('a short reply such as "yes" is captured only after what was said before it; one click makes it answer in any context', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const user = await ChatClient.connect(t.url);
    const hello = await user.say('Hello');
    await user.waitForMessage((m) => m.seq === hello.seq + 1, 'bot greeting');
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    const conversationId = conversations[0]!.id;
    // The bot answered "Hello" itself: this reply teaches nothing.
    await designer.request('conversation.reply', { conversationId, text: 'Would you like a free sample?' });
    const yes = await user.say('yes');
    await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.seq === yes.seq, 'the user said yes');
    await designer.request('conversation.reply', { conversationId, text: 'Here it is.' });
    const category = await learnedChanged(designer, (c) => c.template === 'Here it is.', 'the yes category');
    expect(category).toMatchObject({ pattern: 'YES', that: 'WOULD YOU LIKE A FREE SAMPLE' });
    await t.platform.learnedSettled();
    expect((await designer.request('learned.list', { bot: 'starter' })).categories).toHaveLength(1);
    // A new user saying "yes" out of the blue does not get it...
    expect(await askAsNewUser(t.url, 'yes')).not.toBe('Here it is.');
    // ...until a designer switches it to "any context".
    await designer.request('learned.apply', { bot: 'starter', op: { kind: 'setContext', id: category.id, baseVersion: category.version, context: { kind: 'any' } } });
    expect(await askAsNewUser(t.url, 'yes')).toBe('Here it is.');
    await user.close();
    await designer.close();
  });

  it('a second reply in a row extends the same category instead of making another', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const conversationId = await answerLive(t.url, designer, QUESTION, 'Nine to five.');
    await designer.request('conversation.reply', { conversationId, text: 'Saturdays too.' });
    await learnedChanged(designer, (c) => c.version === 2, 'the extended category');
    const { categories } = await designer.request('learned.list', { bot: 'starter' });
    expect(categories).toHaveLength(1);
    expect(categories[0]).toMatchObject({ template: 'Nine to five. Saturdays too.', version: 2 });
    await t.platform.learnedSettled();
    expect(await askAsNewUser(t.url, QUESTION)).toBe('Nine to five. Saturdays too.');
    await designer.close();
  });

  it('with "Review learned answers before the bot uses them" a new category stays a draft until a designer approves it', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    await designer.request('bot.updateSettings', { bot: 'starter', patch: { reviewLearnedAnswers: true } });
    await answerLive(t.url, designer, QUESTION, ANSWER);
    const draft = await learnedChanged(designer, (c) => c.template === ANSWER, 'the draft');
    expect(draft.status).toBe('draft');
    await t.platform.learnedSettled();
    expect(await askAsNewUser(t.url, QUESTION)).not.toBe(ANSWER);

    const approved = await designer.request('learned.apply', { bot: 'starter', op: { kind: 'approve', id: draft.id, baseVersion: draft.version } });
    expect(approved.categories[0]).toMatchObject({ status: 'approved', version: 2 });
    await t.platform.learnedSettled();
    expect(await askAsNewUser(t.url, QUESTION)).toBe(ANSWER);
    await designer.close();
  });

  it('two designers changing one category: the second gets a conflict with both versions, nothing is overwritten, and undo works across designers', async () => {
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const bob = await DesignerClient.connect(t.url, t.bob.token);
    const created = await ada.request('learned.apply', {
      bot: 'starter',
      op: { kind: 'capture', baseVersion: 0, fields: { pattern: 'DO YOU DELIVER', that: '*', topic: '*', template: 'Yes, within a week.' } },
    });
    const id = created.categories[0]!.id;
    const adaEdit = await ada.request('learned.apply', { bot: 'starter', op: { kind: 'edit', id, baseVersion: 1, fields: { template: 'Yes, in three days.' } } });
    expect(adaEdit.categories[0]!.version).toBe(2);

    const refused = await bob.rawRequest('learned.apply', { bot: 'starter', op: { kind: 'edit', id, baseVersion: 1, fields: { template: 'No, pick-up only.' } } });
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('conflict');
    const conflict = refused.error?.details as LearnedConflict;
    expect(conflict.current).toMatchObject({ template: 'Yes, in three days.', version: 2, updatedBy: { name: 'Ada' } });
    expect(conflict.yours).toMatchObject({ template: 'No, pick-up only.', baseVersion: 1 });
    expect((await ada.request('learned.list', { bot: 'starter' })).categories[0]!.template).toBe('Yes, in three days.');

    // Bob undoes Ada's edit, based on what he now sees: the category goes back, as a new version.
    const undone = await bob.request('learned.apply', { bot: 'starter', op: { kind: 'undo', opId: adaEdit.opId, baseVersion: 2 } });
    expect(undone.categories[0]).toMatchObject({ template: 'Yes, within a week.', version: 3, updatedBy: { name: 'Bob' } });
    // Undoing the creation now is a conflict: the category changed since.
    const late = await ada.rawRequest('learned.apply', { bot: 'starter', op: { kind: 'undo', opId: created.opId, baseVersion: 1 } });
    expect(late.error?.code).toBe('conflict');

    const { entries } = await ada.request('learned.history', { bot: 'starter', categoryId: id });
    expect(entries.map((e) => [e.kind, e.designer.name, e.before?.template ?? null, e.after?.template ?? null])).toEqual([
      ['undo', 'Bob', 'Yes, in three days.', 'Yes, within a week.'],
      ['edit', 'Ada', 'Yes, within a week.', 'Yes, in three days.'],
      ['capture', 'Ada', null, 'Yes, within a week.'],
    ]);
    await ada.close();
    await bob.close();
  });

  it('deleting a learned category takes it out of the bot at once, and undoing the delete puts it back', async () => {
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const created = await ada.request('learned.apply', {
      bot: 'starter',
      op: { kind: 'capture', baseVersion: 0, fields: { pattern: 'DO YOU DELIVER', that: '*', topic: '*', template: 'Yes.' } },
    });
    expect(await askAsNewUser(t.url, 'Do you deliver?')).toBe('Yes.');
    const deleted = await ada.request('learned.apply', { bot: 'starter', op: { kind: 'delete', id: created.categories[0]!.id, baseVersion: 1 } });
    expect(deleted.removed).toEqual([created.categories[0]!.id]);
    expect(await askAsNewUser(t.url, 'Do you deliver?')).not.toBe('Yes.');
    await ada.request('learned.apply', { bot: 'starter', op: { kind: 'undo', opId: deleted.opId, baseVersion: 0 } });
    expect(await askAsNewUser(t.url, 'Do you deliver?')).toBe('Yes.');
    await ada.close();
  });

  it('after the bot is verified again, a deleted learned category still stops answering (its file is the layer\'s, not compiled twice)', async () => {
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const created = await ada.request('learned.apply', {
      bot: 'starter',
      op: { kind: 'capture', baseVersion: 0, fields: { pattern: 'DO YOU DELIVER', that: '*', topic: '*', template: 'Yes.' } },
    });
    await t.platform.learnedSettled();
    const { appId, userKey } = t.platform.apiCredentials;
    expect((await fetch(`${t.url}/bot/${appId}/starter/verify?user_key=${userKey}`)).status).toBe(200);
    expect(await askAsNewUser(t.url, 'Do you deliver?')).toBe('Yes.');
    await ada.request('learned.apply', { bot: 'starter', op: { kind: 'delete', id: created.categories[0]!.id, baseVersion: 1 } });
    expect(await askAsNewUser(t.url, 'Do you deliver?')).not.toBe('Yes.');
    await ada.close();
  });

  it('an answer that is not valid AIML is refused with the reason, and the category keeps its last good version', async () => {
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const created = await ada.request('learned.apply', {
      bot: 'starter',
      op: { kind: 'capture', baseVersion: 0, fields: { pattern: 'DO YOU DELIVER', that: '*', topic: '*', template: 'Yes.' } },
    });
    const bad = await ada.rawRequest('learned.apply', { bot: 'starter', op: { kind: 'edit', id: created.categories[0]!.id, baseVersion: 1, fields: { template: 'Yes <b>bold' } } });
    expect(bad.ok).toBe(false);
    expect(bad.error?.code).toBe('invalid_params');
    expect(bad.error?.message).toMatch(/answer is not valid AIML/);
    expect((await ada.request('learned.list', { bot: 'starter' })).categories[0]).toMatchObject({ template: 'Yes.', version: 1 });
    await t.platform.learnedSettled();
    expect(await askAsNewUser(t.url, 'Do you deliver')).toBe('Yes.');
    await ada.close();
  });

  it('the bot’s pand_livetraining.aiml on the Platform (Pandorabots getFile) is the approved set, as valid AIML', async () => {
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const capture = (pattern: string, template: string) =>
      ada.request('learned.apply', { bot: 'starter', op: { kind: 'capture', baseVersion: 0, fields: { pattern, that: '*', topic: '*', template } } });
    await capture('DO YOU DELIVER', 'Yes &amp; fast.');
    await ada.request('bot.updateSettings', { bot: 'starter', patch: { reviewLearnedAnswers: true } });
    await capture('ARE YOU OPEN ON SUNDAY', 'No.');
    await t.platform.learnedSettled();
    const { appId, userKey } = t.platform.apiCredentials;
    const response = await fetch(`${t.url}/bot/${appId}/starter/file/pand_livetraining.aiml?user_key=${userKey}`);
    expect(response.status).toBe(200);
    const file = await response.text();
    expect(file).toContain('<aiml version="2.0">');
    expect(file).toContain('<pattern>DO YOU DELIVER</pattern>');
    expect(file).toContain('<template>Yes &amp; fast.</template>');
    // The draft is not in the bot's file.
    expect(file).not.toContain('ARE YOU OPEN ON SUNDAY');
    await ada.close();
  });
});
