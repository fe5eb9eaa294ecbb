/**
 * On the starter bot: a learned category gets AIML's `$` priority marker only where a category of the bot would
 * otherwise answer the input it was learned from (a designer's broadened pattern `HOW * TODAY` loses to the starter
 * bot's `HOW ARE YOU *`), never where it answers that input already, and loses it again when it no longer needs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { startTestPlatform } from '../server/support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

const INPUT = 'How are you doing today?';
const ANSWER = 'Busy, but happy to help.';

async function ask(url: string, text: string): Promise<string> {
  const user = await ChatClient.connect(url);
  const sent = await user.say(text);
  const reply = await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply');
  await user.close();
  return reply.text;
}

describe('a learned category is given priority only where the bot would otherwise take its input', () => {
  let t: TestPlatform;
  let designer: DesignerClient;
  beforeEach(async () => {
    t = await startTestPlatform();
    designer = await DesignerClient.connect(t.url, t.ada.token);
  });
  afterEach(async () => {
    await designer.close();
    await t.close();
  });

  it('a captured question the bot could not answer is stored as it is: no $, no priority', async () => {
    const user = await ChatClient.connect(t.url);
    const sent = await user.say('What are your opening hours?');
    await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply');
    const created = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.author === 'user', 'the question');
    if (created.event.type !== 'message.created') throw new Error('unreachable');
    await designer.request('conversation.reply', { conversationId: created.event.message.conversationId, text: 'Nine to five.' });
    const changed = await designer.waitForEvent((e) => e.event.type === 'learned.changed', 'the capture');
    if (changed.event.type !== 'learned.changed') throw new Error('unreachable');
    const category = changed.event.change.categories[0]!;
    expect(category.pattern).toBe('WHAT ARE YOUR OPENING HOURS');
    expect(category.priorityOver).toBeUndefined();
    await user.close();
  });

  it('a broadened pattern that would lose its input to HOW ARE YOU * gets $, says over what, and answers; a narrower one drops it', async () => {
    // The bot answers the input (HOW ARE YOU *): the designer's reply makes no category, so the designer picks the input.
    const user = await ChatClient.connect(t.url);
    const sent = await user.say(INPUT);
    const botReply = await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply');
    const asked = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.author === 'user', 'the question');
    if (asked.event.type !== 'message.created') throw new Error('unreachable');
    const conversationId = asked.event.message.conversationId;
    const { messages } = await designer.request('conversation.reply', { conversationId, text: ANSWER });
    const replySeq = messages.find((m) => m.author === 'human')!.seq;
    await user.close();
    const { conversation } = await designer.request('conversation.get', { conversationId });
    const source = { conversationId, inputSeq: sent.seq, replySeq, input: INPUT, clientName: conversation.clientName };

    const captured = await designer.request('learned.apply', { bot: 'starter', op: { kind: 'capture', baseVersion: 0, fields: { pattern: 'HOW ARE YOU DOING TODAY', that: '*', topic: '*', template: ANSWER }, source } });
    const id = captured.categories[0]!.id;
    // The exact pattern beats HOW ARE YOU * by itself.
    expect(captured.categories[0]).toMatchObject({ pattern: 'HOW ARE YOU DOING TODAY' });
    expect(captured.categories[0]!.priorityOver).toBeUndefined();

    const broadened = await designer.request('learned.apply', { bot: 'starter', op: { kind: 'broaden', id, baseVersion: 1, pattern: 'HOW * TODAY' } });
    expect(broadened.categories[0]).toMatchObject({ pattern: '$HOW * TODAY', priorityOver: { pattern: 'HOW ARE YOU *', file: 'aiml/starter.aiml' } });
    await t.platform.learnedSettled();
    expect(await ask(t.url, INPUT)).toBe(ANSWER);
    expect(await ask(t.url, 'How is it going today?')).toBe(ANSWER);
    expect(botReply.text).not.toBe(ANSWER);

    const narrowed = await designer.request('learned.apply', { bot: 'starter', op: { kind: 'broaden', id, baseVersion: 2, pattern: 'HOW ARE YOU DOING *' } });
    expect(narrowed.categories[0]!.pattern).toBe('HOW ARE YOU DOING *');
    expect(narrowed.categories[0]!.priorityOver).toBeUndefined();
    await t.platform.learnedSettled();
    expect(await ask(t.url, INPUT)).toBe(ANSWER);
  });
});
