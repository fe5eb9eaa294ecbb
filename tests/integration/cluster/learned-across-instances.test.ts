import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { DesignerResult } from '../../../protocol/designer-wire.js';
import type { LearnedCategory } from '../../../protocol/learned.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled } from '../../support/throwaway-postgres.js';
import { inParallel } from '../../support/in-parallel.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { CLUSTER_CREDENTIALS, clusterForSuite } from './support/cluster.js';

/** Two Platform instances on one PostgreSQL keep one set of learned categories per bot, and both bots answer with it. */

const EACH = 200;
const LIVE_EACH = 8;

/** Captures one category, waiting and sending again when the Platform's rate limit asks to (it applied nothing). */
function capture(designer: DesignerClient, pattern: string, template: string): Promise<DesignerResult<'learned.apply'>> {
  return designer.requestWhenAllowed('learned.apply', { bot: 'starter', op: { kind: 'capture', baseVersion: 0, fields: { pattern, that: '*', topic: '*', template } } });
}

async function everyCategory(designer: DesignerClient): Promise<LearnedCategory[]> {
  const listed: LearnedCategory[] = [];
  let cursor: string | undefined;
  do {
    const page = await designer.requestWhenAllowed('learned.list', { bot: 'starter', limit: 1000, ...(cursor ? { cursor } : {}) });
    listed.push(...page.categories);
    cursor = page.nextCursor;
  } while (cursor);
  return listed;
}

/** A user asks `question` on `url`, the bot falls back, and `designer` answers in the conversation. */
async function answerLive(url: string, designer: DesignerClient, question: string, answer: string): Promise<void> {
  const user = await ChatClient.connect(url);
  try {
    const sent = await user.say(question);
    await user.waitForMessage((m) => m.seq === sent.seq + 1, 'the bot’s fallback', 15_000);
    const created = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.clientId === sent.clientId, 'the question at the designer', 15_000);
    if (created.event.type !== 'message.created') throw new Error('unreachable');
    await designer.request('conversation.reply', { conversationId: created.event.message.conversationId, text: answer });
  } finally {
    await user.close();
  }
}

/** A new end user on `url` asks `question`: the bot's first answer. */
async function askNew(url: string, question: string): Promise<string> {
  const user = await ChatClient.connect(url);
  try {
    const sent = await user.say(question);
    return (await user.waitForMessage((m) => m.seq === sent.seq + 1, 'the bot’s answer', 15_000)).text;
  } finally {
    await user.close();
  }
}

/** Reads until `done` holds (at most 10 s): the file is written shortly after a change, not in its turn. */
async function eventually(read: () => Promise<string>, done: (text: string) => boolean): Promise<string> {
  const until = Date.now() + 10_000;
  let text = await read();
  while (!done(text) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    text = await read();
  }
  return text;
}

describe.skipIf(!postgresInstalled.met)(needing('learned categories on two Platform instances sharing one PostgreSQL', postgresInstalled), () => {
  const suite = clusterForSuite(2);
  const { track } = suite;

  /** The bot's pand_livetraining.aiml as the shared bot files in the database hold it. */
  async function sharedLearnedFile(): Promise<string> {
    const client = new pg.Client({ connectionString: suite.cluster.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ content: Buffer }>(`SELECT content FROM bot_files WHERE bot = 'starter' AND kind = 'file' AND name = 'pand_livetraining'`);
      return rows[0]?.content.toString('utf8') ?? '';
    } finally {
      await client.end();
    }
  }
  /** The same file through an instance's Pandorabots API (getFile). */
  async function learnedFileThrough(url: string): Promise<string> {
    const response = await fetch(`${url}/bot/${CLUSTER_CREDENTIALS.appId}/starter/file/pand_livetraining.aiml?user_key=${CLUSTER_CREDENTIALS.userKey}`);
    return response.status === 200 ? response.text() : '';
  }

  const a = () => suite.cluster.instances[0]!.url;
  const b = () => suite.cluster.instances[1]!.url;

  it('a designer on instance A answers; a new end user on instance B gets the trained answer within 2 seconds', async () => {
    const ada = track(await DesignerClient.connect(a(), suite.ada));
    const bob = track(await DesignerClient.connect(b(), suite.bob));
    const question = 'When does the zorblax museum open on Sundays?';
    expect(await askNew(b(), question)).not.toBe('From ten to four.');

    const user = track(await ChatClient.connect(a()));
    const sent = await user.say(question);
    await user.waitForMessage((m) => m.seq === sent.seq + 1, 'the bot’s fallback', 15_000);
    const { conversations } = await ada.request('conversation.list', { filter: 'all' });
    const conversation = conversations.find((c) => c.lastSeq === sent.seq + 1 && c.state === 'active')!;
    await ada.request('conversation.reply', { conversationId: conversation.id, text: 'From ten to four.' });
    const repliedAt = Date.now();

    // Bob, on the other instance, hears of the category as it is made.
    const heard = await bob.waitForEvent((e) => e.event.type === 'learned.changed' && e.event.change.categories.some((c) => c.template === 'From ten to four.'), 'the capture at Bob', 15_000);
    if (heard.event.type !== 'learned.changed') throw new Error('unreachable');
    expect(heard.event.change.categories[0]).toMatchObject({ pattern: 'WHEN DOES THE ZORBLAX MUSEUM OPEN ON SUNDAYS', that: '*', status: 'approved', createdBy: { name: 'Ada' } });

    // New end users on B, one after the other, until one gets it: the first that does comes within 2 s of the reply.
    let answer = '';
    while (answer !== 'From ten to four.' && Date.now() - repliedAt < 10_000) answer = await askNew(b(), question);
    const latency = Date.now() - repliedAt;
    console.info(`designer reply on A -> trained answer to a new user on B: ${latency} ms`);
    expect(answer).toBe('From ten to four.');
    expect(latency).toBeLessThan(2_000);

    // pand_livetraining.aiml: in the shared bot files (written by A, which made the change) and through B's API.
    expect(await eventually(() => sharedLearnedFile(), (text) => text.includes('<template>From ten to four.</template>'))).toContain('<pattern>WHEN DOES THE ZORBLAX MUSEUM OPEN ON SUNDAYS</pattern>');
    expect(await eventually(() => learnedFileThrough(b()), (text) => text.includes('<template>From ten to four.</template>'))).toContain('<pattern>WHEN DOES THE ZORBLAX MUSEUM OPEN ON SUNDAYS</pattern>');

    // Bob edits it on B; a new user on A gets the edited answer, and the category is the same one, one version on.
    const category = heard.event.change.categories[0]!;
    await bob.request('learned.apply', { bot: 'starter', op: { kind: 'edit', id: category.id, baseVersion: category.version, fields: { template: 'From ten to five.' } } });
    let onA = '';
    const editedAt = Date.now();
    while (onA !== 'From ten to five.' && Date.now() - editedAt < 10_000) onA = await askNew(a(), question);
    expect(onA).toBe('From ten to five.');
    // A stale edit from Ada (still on version 1) is a conflict, not an overwrite.
    const stale = await ada.rawRequest('learned.apply', { bot: 'starter', op: { kind: 'edit', id: category.id, baseVersion: category.version, fields: { template: 'Never.' } } });
    expect(stale.ok).toBe(false);
    expect(stale.error).toMatchObject({ code: 'conflict' });
    // Deleted on A: B's bot stops answering with it.
    await ada.request('learned.apply', { bot: 'starter', op: { kind: 'delete', id: category.id, baseVersion: category.version + 1 } });
    let afterDelete = 'From ten to five.';
    const deletedAt = Date.now();
    while (afterDelete === 'From ten to five.' && Date.now() - deletedAt < 10_000) afterDelete = await askNew(b(), question);
    expect(afterDelete).not.toBe('From ten to five.');
    expect(await eventually(() => sharedLearnedFile(), (text) => !text.includes('From ten to'))).not.toContain('ZORBLAX MUSEUM');
    expect(await eventually(() => learnedFileThrough(b()), (text) => !text.includes('From ten to'))).not.toContain('ZORBLAX MUSEUM');
  }, 120_000);

  it(`two designers on two instances capture at once (${EACH} each, and ${LIVE_EACH} live replies each): every category present once, each bot answers all`, async () => {
    const ada = track(await DesignerClient.connect(a(), suite.ada));
    const bob = track(await DesignerClient.connect(b(), suite.bob));
    await Promise.all([
      inParallel(EACH, 20, (i) => capture(ada, `ADA QUESTION ${i}`, `Ada answers ${i}.`)),
      inParallel(EACH, 20, (i) => capture(bob, `BOB QUESTION ${i}`, `Bob answers ${i}.`)),
      // Live replies: both instances consume the bot's event log; each reply must still become one category.
      inParallel(LIVE_EACH, 4, (i) => answerLive(i % 2 === 0 ? a() : b(), ada, `Do you sell zorblax number ${i}?`, `Ada sells zorblax ${i}.`)),
      inParallel(LIVE_EACH, 4, (i) => answerLive(i % 2 === 0 ? b() : a(), bob, `Do you rent quibbit number ${i}?`, `Bob rents quibbit ${i}.`)),
    ]);
    const wanted = [
      ...Array.from({ length: EACH }, (_, i) => `Ada answers ${i}.`),
      ...Array.from({ length: EACH }, (_, i) => `Bob answers ${i}.`),
      ...Array.from({ length: LIVE_EACH }, (_, i) => `Ada sells zorblax ${i}.`),
      ...Array.from({ length: LIVE_EACH }, (_, i) => `Bob rents quibbit ${i}.`),
    ].sort();
    // The live replies are captured from the log shortly after they are acknowledged.
    let listed: LearnedCategory[] = [];
    const until = Date.now() + 20_000;
    do {
      listed = (await everyCategory(bob)).filter((c) => /answers|zorblax|quibbit/.test(c.template));
      if (listed.length >= wanted.length) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < until);
    expect(listed.map((c) => c.template).sort()).toEqual(wanted);
    expect((await everyCategory(ada)).filter((c) => /answers|zorblax|quibbit/.test(c.template)).map((c) => c.id).sort()).toEqual(listed.map((c) => c.id).sort());

    // Each instance's bot answers what was learned on the other.
    expect(await askNew(a(), 'Bob question 123')).toBe('Bob answers 123.');
    expect(await askNew(b(), 'Ada question 45')).toBe('Ada answers 45.');
    expect(await askNew(b(), 'Do you sell zorblax number 3?')).toBe('Ada sells zorblax 3.');
    expect(await askNew(a(), 'Do you rent quibbit number 6?')).toBe('Bob rents quibbit 6.');
  }, 240_000);
});
