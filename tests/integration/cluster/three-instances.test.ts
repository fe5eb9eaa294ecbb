import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../../protocol/designer-wire.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled } from '../../support/throwaway-postgres.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { aimlFile, botOwnerApi } from '../server/support/bot-owner-api.js';
import { CLUSTER_CREDENTIALS, clusterForSuite } from './support/cluster.js';

/** Three Platform instances on one PostgreSQL are one Platform: users on one, designers on others, one instance killed. */

describe.skipIf(!postgresInstalled.met)(needing('three Platform instances on one PostgreSQL', postgresInstalled), () => {
  const suite = clusterForSuite(3);
  const { track } = suite;

  const one = () => suite.cluster.instances[0]!.url;
  const two = () => suite.cluster.instances[1]!.url;
  const three = () => suite.cluster.instances[2]!.url;

  async function conversationOf(user: ChatClient, designer: DesignerClient, text = 'Hello'): Promise<string> {
    const first = await user.say(text);
    const created = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.clientId === first.clientId, 'the first message at the designer', 15_000);
    if (created.event.type !== 'message.created') throw new Error('unreachable');
    return created.event.message.conversationId;
  }

  it('a user on one instance is seen by a designer on another, and the designer answers through it', async () => {
    const ada = track(await DesignerClient.connect(two(), suite.ada));
    const user = track(await ChatClient.connect(one()));
    const id = await conversationOf(user, ada);
    await user.waitForMessage((m) => m.from === 'bot', 'the bot reply on the user’s instance', 15_000);
    await ada.request('conversation.reply', { conversationId: id, text: 'A person here, from another instance.' });
    await user.waitForMessage((m) => m.text === 'A person here, from another instance.', 'the human reply', 15_000);
  });

  it('two designers on two instances race a takeover: exactly one wins', async () => {
    const ada = track(await DesignerClient.connect(two(), suite.ada));
    const bob = track(await DesignerClient.connect(three(), suite.bob));
    for (let round = 0; round < 5; round++) {
      const user = track(await ChatClient.connect(one()));
      const id = await conversationOf(user, ada, `Round ${round}`);
      await bob.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.conversationId === id, 'the conversation at Bob', 15_000);
      const results = await Promise.all([
        ada.rawRequest('conversation.reply', { conversationId: id, text: 'Ada here.' }),
        bob.rawRequest('conversation.reply', { conversationId: id, text: 'Bob here.' }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)!.error).toMatchObject({ code: 'held_by_other' });
      const transcript = await ada.request('conversation.transcript', { conversationId: id });
      expect(transcript.messages.filter((m) => m.author === 'human')).toHaveLength(1);
      expect(transcript.messages.filter((m) => m.author === 'system')).toHaveLength(1);
    }
  });

  it('kill -9 of an instance mid-traffic: nothing acknowledged is lost or doubled, designers resume exactly, users carry on with their predicates', async () => {
    const victim = suite.cluster.instances[0]!;
    // Ada watches from the instance that dies; Bob from another.
    const ada = await DesignerClient.connect(victim.url, suite.ada);
    const bob = track(await DesignerClient.connect(two(), suite.bob));
    const users = await Promise.all([0, 1, 2].map(() => ChatClient.connect(victim.url)));
    const names = ['Alice', 'Brook', 'Cyril'];
    const acknowledged = new Map<string, string[]>();
    const ids: string[] = [];
    for (const [k, user] of users.entries()) {
      ids.push(await conversationOf(user, bob, `My name is ${names[k]}`));
      await user.waitForMessage((m) => m.text === `Nice to meet you, ${names[k]}.`, 'the bot took the name', 15_000);
      acknowledged.set(ids[k]!, []);
    }

    // Each user keeps sending; the instance dies under them after a few acknowledgements.
    let killed = false;
    const traffic = users.map(async (user, k) => {
      for (let n = 0; ; n++) {
        try {
          const stored = await user.say(`message ${k}-${n}`);
          acknowledged.get(ids[k]!)!.push(stored.clientId!);
        } catch {
          return; // not acknowledged: the instance is gone
        }
        if (killed) return;
      }
    });
    await Promise.race([Promise.all(traffic), (async () => {
      while ([...acknowledged.values()].some((a) => a.length < 3)) await new Promise((r) => setTimeout(r, 20));
    })()]);
    killed = true;
    await suite.cluster.kill(victim);
    await Promise.all(traffic);
    // What Ada saw live, up to the moment her instance died.
    const lastSeen = ada.events('starter').at(-1)!.id;

    // Every acknowledged message is stored once.
    for (const id of ids) {
      const transcript = await bob.request('conversation.transcript', { conversationId: id });
      const stored = transcript.messages.filter((m) => m.author === 'user' && m.clientId).map((m) => m.clientId!);
      for (const clientId of acknowledged.get(id)!) expect(stored.filter((c) => c === clientId)).toHaveLength(1);
      expect(new Set(stored).size).toBe(stored.length);
    }

    // The users reconnect (to another instance, as a load balancer would send them) and the bot still knows their names.
    for (const [k, user] of users.entries()) {
      const again = track(await ChatClient.connect(two(), 'starter', { session: user.session }));
      expect(again.welcome.messages.length).toBeGreaterThan(0);
      await again.say('What is my name');
      await again.waitForMessage((m) => m.text === `Your name is ${names[k]}.`, `the bot remembers ${names[k]}`, 15_000);
    }

    // Ada comes back on a third instance with the last event id she saw: exactly what she missed, no gap, no repeat.
    const adaAgain = track(await DesignerClient.connect(three(), suite.ada, { starter: lastSeen }));
    const resumed = adaAgain.events('starter').map((e: EventEnvelope) => e.id);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed).toEqual(resumed.map((_, i) => lastSeen + 1 + i));
    const missed = adaAgain.events('starter').filter((e) => e.event.type === 'message.created' && e.event.message.author === 'bot').map((e) => (e.event.type === 'message.created' ? e.event.message.text : ''));
    for (const name of names) expect(missed).toContain(`Your name is ${name}.`);
  });

  it('a bot published through one instance is answered by every instance, and a delete through another reaches all', async () => {
    const alive = suite.cluster.instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
    expect(alive.length).toBeGreaterThanOrEqual(2);
    const owner = botOwnerApi(alive[0]!.url, CLUSTER_CREDENTIALS);
    await owner.createBot('shopbot', { 'shop.aiml': aimlFile({ 'OPENING HOURS': 'Nine to five, every day.' }) });
    for (const instance of alive) {
      const talk = async () => {
        const user = track(await ChatClient.connect(instance.url, 'shopbot'));
        await user.say('Opening hours?');
        return user.waitForMessage((m) => m.from === 'bot', 'the shop bot answering', 5_000);
      };
      // The other instances compile it when they hear of the publish: until then the bot is unknown there.
      const reply = await vi.waitFor(talk, { timeout: 30_000, interval: 200 });
      expect(reply.text).toBe('Nine to five, every day.');
    }
    await botOwnerApi(alive[1]!.url, CLUSTER_CREDENTIALS).deleteBot('shopbot');
    for (const instance of alive) {
      await vi.waitFor(async () => expect((await fetch(`${instance.url}/chat/shopbot`)).status).toBe(404), { timeout: 30_000, interval: 200 });
    }
  });
});
