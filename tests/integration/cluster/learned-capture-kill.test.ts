import { describe, expect, it } from 'vitest';
import type { LearnedCategory } from '../../../protocol/learned.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled } from '../../support/throwaway-postgres.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { clusterForSuite } from './support/cluster.js';

/** The instance that stored designer replies is killed before it could capture them all: another instance does. */

const REPLIES = 8;

describe.skipIf(!postgresInstalled.met)(needing('capture on a surviving instance after kill -9', postgresInstalled), () => {
  const suite = clusterForSuite(2);
  const { track } = suite;

  it('kill -9 of the capturing instance right after a reply is acknowledged: every stored reply becomes one category, on the survivor', async () => {
    const [victim, survivor] = [suite.cluster.instances[0]!, suite.cluster.instances[1]!];
    const ada = await DesignerClient.connect(victim.url, suite.ada);
    ada.ws.on('error', () => {});
    const bob = track(await DesignerClient.connect(survivor.url, suite.bob));

    // The users are on the survivor; their conversations wait for a human answer.
    const conversations: Array<{ id: string; question: string; answer: string }> = [];
    for (let i = 0; i < REPLIES; i++) {
      const user = await ChatClient.connect(survivor.url);
      const question = `Do you repair zorblax model ${i}?`;
      const sent = await user.say(question);
      await user.waitForMessage((m) => m.seq === sent.seq + 1, 'the bot’s fallback', 15_000);
      const created = await ada.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.clientId === sent.clientId, 'the question at Ada', 15_000);
      if (created.event.type !== 'message.created') throw new Error('unreachable');
      conversations.push({ id: created.event.message.conversationId, question, answer: `Yes, model ${i} too.` });
      await user.close();
    }

    // Ada answers them all at once through the victim; it dies as soon as the first answer is acknowledged.
    const acknowledged: string[] = [];
    const replies = conversations.map((c) =>
      ada.request('conversation.reply', { conversationId: c.id, text: c.answer }).then(
        () => acknowledged.push(c.answer),
        () => undefined,
      ),
    );
    await Promise.race(replies);
    await suite.cluster.kill(victim);
    await Promise.all(replies);
    const capturedBeforeKill = ada.events('starter').filter((e) => e.event.type === 'learned.changed').length;

    // What the database kept of the replies (each acknowledged one at least).
    const stored: string[] = [];
    for (const c of conversations) {
      const { messages } = await bob.request('conversation.transcript', { conversationId: c.id });
      stored.push(...messages.filter((m) => m.author === 'human').map((m) => m.text));
    }
    for (const answer of acknowledged) expect(stored).toContain(answer);

    // The survivor captures what the victim did not (it hears of the victim's events by its periodic catch-up).
    let learned: LearnedCategory[] = [];
    const until = Date.now() + 30_000;
    do {
      learned = (await bob.request('learned.list', { bot: 'starter', limit: 1000 })).categories.filter((c) => c.template.startsWith('Yes, model'));
      if (learned.length >= stored.length) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < until);
    expect(learned.map((c) => c.template).sort()).toEqual([...stored].sort());
    for (const c of conversations.filter((x) => stored.includes(x.answer))) {
      expect(learned.find((x) => x.template === c.answer)).toMatchObject({ pattern: c.question.toUpperCase().replace(/[?]/g, ''), version: 1, source: { conversationId: c.id, input: c.question } });
    }

    // A new user on the survivor gets a trained answer the victim never captured, when there is one.
    const last = conversations.find((c) => c.answer === stored.at(-1))!;
    const user = track(await ChatClient.connect(survivor.url));
    const sent = await user.say(last.question);
    expect((await user.waitForMessage((m) => m.seq === sent.seq + 1, 'the trained answer', 15_000)).text).toBe(last.answer);
    console.info(`acknowledged before the kill: ${acknowledged.length}, stored: ${stored.length}, captured by the victim before the kill: ${capturedBeforeKill}, of ${REPLIES}`);
  }, 180_000);
});
