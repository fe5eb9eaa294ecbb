import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needing } from '../../support/requirements.js';
import { postgresInstalled } from '../../support/throwaway-postgres.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { TestCluster } from './support/cluster.js';

/**
 * The inactivity hand-back belongs to the cluster, not to the designer's instance: with that instance killed (and no
 * other instance of the designer left), one of the others hands the conversation back, exactly once.
 */

describe.skipIf(!postgresInstalled.met)(needing('inactivity hand-back across instances', postgresInstalled), () => {
  let cluster: TestCluster;
  let adaToken: string;
  let bobToken: string;
  const open: Array<{ close(): Promise<unknown> }> = [];

  beforeAll(async () => {
    // A 3-second timeout (the shortest the CLI takes is 1 s): real time, as operators run it.
    cluster = await TestCluster.start(3, ['--inactivity-minutes', '0.05']);
    [adaToken, bobToken] = [await cluster.designer('Ada'), await cluster.designer('Bob')];
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(open.map((c) => c.close()));
    await cluster?.stop();
  });

  it('the holder’s instance is killed: another instance hands the conversation back once, with the inactivity notice', async () => {
    const [holderInstance, userInstance, watcherInstance] = cluster.instances as [typeof cluster.instances[0], typeof cluster.instances[0], typeof cluster.instances[0]];
    const ada = await DesignerClient.connect(holderInstance.url, adaToken);
    const bob = await DesignerClient.connect(watcherInstance.url, bobToken);
    open.push(bob);
    const user = await ChatClient.connect(userInstance.url);
    open.push(user);
    const first = await user.say('Hello');
    const created = await ada.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.clientId === first.clientId, 'the conversation at Ada', 15_000);
    if (created.event.type !== 'message.created') throw new Error('unreachable');
    const id = created.event.message.conversationId;
    await ada.request('conversation.reply', { conversationId: id, text: 'Ada takes over.' });
    const human = await user.waitForMessage((m) => m.text === 'Ada takes over.', 'the human reply', 15_000);

    await cluster.kill(holderInstance);

    const resumed = await bob.waitForEvent((e) => e.event.type === 'conversation.resumed' && e.event.conversationId === id, 'the hand-back', 30_000);
    expect(resumed.event).toMatchObject({ reason: 'inactivity' });
    const notice = await user.waitForMessage((m) => m.from === 'notice' && m.seq > human.seq, 'the inactivity notice', 15_000);

    // The bot answers again, and the conversation was handed back once: one resume event, one inactivity notice.
    await user.say('Are you there?');
    await user.waitForMessage((m) => m.from === 'bot' && m.seq > notice.seq, 'the bot answering again', 15_000);
    const transcript = await bob.request('conversation.transcript', { conversationId: id });
    const notices = transcript.messages.filter((m) => m.author === 'system');
    expect(notices.map((m) => m.notice)).toEqual(['paused', 'inactivity']);
    expect(bob.events('starter').filter((e) => e.event.type === 'conversation.resumed' && e.event.conversationId === id)).toHaveLength(1);
  });
});
