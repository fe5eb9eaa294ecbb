/**
 * A trained question gets the trained answer (issue 13), also on a bot whose own categories have a higher priority
 * than an exact pattern: ALICE's `_ HAS LIVED`, `_ TOMORROW`... On the real Platform with ALICE (../shared/data, read
 * from there; the bot's AIML is copied into the test's own data dir as the Platform hosts it) and on the starter bot.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBot, readBotDirectory, type Bot } from '../../../aiml/index.js';
import { LearnedLayer } from '../../../aiml/learned/index.js';
import { sharedInputs } from '../../../bench/learned-categories.js';
import type { LearnedCategory } from '../../../protocol/learned.js';
import { needing, SHARED_DATA } from '../../support/requirements.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { startTestPlatform, tempDataDir } from '../server/support/test-platform.js';

const ALICE = join(SHARED_DATA, 'aiml', 'alice-foundation');
const aliceBot = { met: existsSync(ALICE), missing: `../shared/data is absent (no ${ALICE})` };
/** Inputs per kind: captured live from a fallback, and picked by the designer from an input the bot answered. */
const PER_KIND = 10;

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

async function ask(url: string, bot: string, text: string): Promise<string> {
  const user = await ChatClient.connect(url, bot);
  const sent = await user.say(text);
  const reply = await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply', 20_000);
  await user.close();
  return reply.text;
}

interface Trial {
  input: string;
  /** The bot's category that takes the input before an exact learned pattern. */
  winner: string;
  /** Whether the bot's answer fell back to its default category (the Platform then captures the input by itself). */
  fellBack: boolean;
}

/**
 * Inputs of ../shared/data/inputs (one sentence each) that an exact learned category would not answer on ALICE,
 * because a category with `_` in its pattern matches them first: what the Platform must fix.
 */
function unreachableInputs(base: Bot): { fellBack: Trial[]; answered: Trial[] } {
  const fellBack: Trial[] = [];
  const answered: Trial[] = [];
  for (const input of sharedInputs(SHARED_DATA)) {
    if (fellBack.length >= PER_KIND && answered.length >= PER_KIND) break;
    const sentences = base.normalize(input);
    if (sentences.length !== 1) continue;
    const layer = LearnedLayer.on(base);
    layer.put({ pattern: sentences[0]!, template: 'Trained.' });
    const reply = layer.bot.respond(layer.bot.createSession('probe'), input, { now: 0, random: () => 0 });
    if (reply.text === 'Trained.') continue;
    const first = base.explain(input);
    if (!first || !first.pattern.split(' ').includes('_')) continue;
    const trial = { input, winner: first.pattern, fellBack: reply.sentences[0]!.match.defaultCategory };
    const list = trial.fellBack ? fellBack : answered;
    if (list.length < PER_KIND && !list.some((t) => t.input.toLowerCase() === input.toLowerCase())) list.push(trial);
  }
  return { fellBack, answered };
}

/** The conversation in which a user just asked `input` (each input is asked once before it is trained). */
async function conversationOf(designer: DesignerClient, input: string): Promise<{ id: string; clientName: string }> {
  const envelope = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.author === 'user' && e.event.message.text === input, `the conversation asking "${input}"`, 20_000);
  if (envelope.event.type !== 'message.created') throw new Error('unreachable');
  const { conversation } = await designer.request('conversation.get', { conversationId: envelope.event.message.conversationId });
  return { id: conversation.id, clientName: conversation.clientName };
}

async function learnedChanged(designer: DesignerClient, test: (c: LearnedCategory) => boolean, what: string): Promise<LearnedCategory> {
  const envelope = await designer.waitForEvent((e) => e.event.type === 'learned.changed' && e.event.change.categories.some(test), what, 20_000);
  if (envelope.event.type !== 'learned.changed') throw new Error('unreachable');
  return envelope.event.change.categories.find(test)!;
}

describe.skipIf(!aliceBot.met)(needing('on ALICE, a trained input gets the trained answer even where a _ pattern of the bot matches first', aliceBot), () => {
  let t: TestPlatform;
  let trials: { fellBack: Trial[]; answered: Trial[] };
  let base: Bot;
  const data = tempDataDir('priority');
  beforeAll(async () => {
    base = compileBot(await readBotDirectory(ALICE), { botName: 'alice' }).bot;
    trials = unreachableInputs(base);
    mkdirSync(join(data.dir, 'bots', 'alice'), { recursive: true });
    cpSync(join(ALICE, 'aiml'), join(data.dir, 'bots', 'alice', 'aiml'), { recursive: true });
    t = await startTestPlatform({ dataDir: data.dir, chatLimits: { newConversationsBurst: 1_000, newConversationsPerSecond: 1_000 } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    data.remove();
  });

  it('the inputs come from ../shared/data: both kinds are there', () => {
    expect(trials.fellBack).toHaveLength(PER_KIND);
    expect(trials.answered).toHaveLength(PER_KIND);
  });

  it('a designer reply to an input ALICE fell back on (through a _ category) is captured with $ and a new conversation gets it', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    for (const [i, trial] of trials.fellBack.entries()) {
      const answer = `Trained answer ${i}.`;
      const user = await ChatClient.connect(t.url, 'alice');
      const sent = await user.say(trial.input);
      await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply', 20_000);
      const conversation = await conversationOf(designer, trial.input);
      await designer.request('conversation.reply', { conversationId: conversation.id, text: answer });
      const category = await learnedChanged(designer, (c) => c.template === answer, `the category of "${trial.input}"`);
      await user.close();
      expect(category.pattern).toBe(`$${base.normalize(trial.input)[0]!}`);
      expect(category.priorityOver?.pattern).toBe(trial.winner);
      await t.platform.learnedSettled();
      expect({ input: trial.input, reply: await ask(t.url, 'alice', trial.input) }).toEqual({ input: trial.input, reply: answer });
    }
    await designer.close();
  }, 300_000);

  it('an input ALICE answered (through a _ category) that the designer picks gets the trained answer in a new conversation', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    for (const [i, trial] of trials.answered.entries()) {
      const answer = `Picked answer ${i}.`;
      const user = await ChatClient.connect(t.url, 'alice');
      const sent = await user.say(trial.input);
      const botReply = await user.waitForMessage((m) => m.seq === sent.seq + 1, 'bot reply', 20_000);
      expect(botReply.text).not.toBe(answer);
      const conversation = await conversationOf(designer, trial.input);
      const { messages } = await designer.request('conversation.reply', { conversationId: conversation.id, text: answer });
      const reply = messages.find((m) => m.author === 'human')!;
      await user.close();
      // The bot had answered the input, so the reply made no category: the designer picks the input in one click.
      const source = { conversationId: conversation.id, inputSeq: sent.seq, replySeq: reply.seq, input: trial.input, clientName: conversation.clientName };
      const pattern = base.normalize(trial.input)[0]!;
      const applied = await designer.request('learned.apply', { bot: 'alice', op: { kind: 'capture', baseVersion: 0, fields: { pattern, that: '*', topic: '*', template: answer }, source } });
      expect(applied.categories[0]).toMatchObject({ pattern: `$${pattern}`, priorityOver: { pattern: trial.winner } });
      await t.platform.learnedSettled();
      expect({ input: trial.input, reply: await ask(t.url, 'alice', trial.input) }).toEqual({ input: trial.input, reply: answer });
    }
    await designer.close();
  }, 300_000);
});
