import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { needing } from '../../support/requirements.js';
import { postgresInstalled } from '../../support/throwaway-postgres.js';
import { DesignerClient } from '../server/support/clients.js';
import { aimlFile, botOwnerApi } from '../server/support/bot-owner-api.js';
import { CLUSTER_CREDENTIALS, TestCluster, type Instance } from './support/cluster.js';

/**
 * One publish, one `bot.reloaded`: the instances that follow a publish made elsewhere swap the new version in without
 * telling the designers again (they heard of it from the instance that published).
 */

describe.skipIf(!postgresInstalled.met)(needing('one bot.reloaded per publish in a cluster', postgresInstalled), () => {
  let cluster: TestCluster;
  let token: string;
  let designer: DesignerClient | undefined;

  beforeAll(async () => {
    cluster = await TestCluster.start(3);
    token = await cluster.designer('Ada');
  }, 120_000);
  afterAll(async () => {
    await designer?.close();
    await cluster?.stop();
  });

  /** Uploads a new version of the bot's file through `instance` and compiles it there (a publish). */
  async function publish(instance: Instance, version: number): Promise<void> {
    const { appId, userKey } = CLUSTER_CREDENTIALS;
    const file = aimlFile({ 'WHICH VERSION': `Version ${version}.` });
    const put = await fetch(`${instance.url}/bot/${appId}/versioned/file/versioned.aiml?user_key=${userKey}`, { method: 'PUT', body: file });
    expect(put.status).toBe(200);
    const verify = await fetch(`${instance.url}/bot/${appId}/versioned/verify?user_key=${userKey}`);
    expect(verify.status).toBe(200);
  }

  /** What the instance's bot answers now (the talk API), or the status when it cannot answer yet. */
  async function answerOn(instance: Instance): Promise<string> {
    const { appId, userKey } = CLUSTER_CREDENTIALS;
    const response = await fetch(`${instance.url}/talk/${appId}/versioned?user_key=${userKey}&input=${encodeURIComponent('which version')}`, { method: 'POST' });
    if (response.status !== 200) return `status ${response.status}`;
    return ((await response.json()) as { responses: string[] }).responses.join(' ');
  }

  async function everyInstanceRuns(version: number): Promise<void> {
    for (const instance of cluster.instances) {
      await vi.waitFor(async () => expect(await answerOn(instance)).toBe(`Version ${version}.`), { timeout: 30_000, interval: 200 });
    }
  }

  it('three publishes through three instances: the designer is told of each once', async () => {
    const [one, two, three] = cluster.instances as [Instance, Instance, Instance];
    await botOwnerApi(one.url, CLUSTER_CREDENTIALS).createBot('versioned', { 'versioned.aiml': aimlFile({ 'WHICH VERSION': 'Version 1.' }) });
    await everyInstanceRuns(1);
    designer = await DesignerClient.connect(three.url, token);

    // Each publish comes from an instance that followed the one before: had it announced its follow, that event would
    // be committed before the announcement of its own publish (one change after the other), so before the barrier.
    await publish(one, 2);
    await everyInstanceRuns(2);
    await publish(two, 3);
    await everyInstanceRuns(3);
    await publish(three, 4);
    await everyInstanceRuns(4);
    // The barrier: instance one's own publish, after it followed versions 3 and 4. Its event is the first stamped after
    // this moment; everything committed before it (any announcement of those follows) has reached the designer then.
    const barrierAt = Date.now();
    await publish(one, 5);
    const reloads = () => designer!.events('versioned').filter((e) => e.event.type === 'bot.reloaded');
    await vi.waitFor(() => expect(reloads().some((e) => e.event.type === 'bot.reloaded' && e.event.at >= barrierAt)).toBe(true), { timeout: 30_000, interval: 100 });
    expect(reloads()).toHaveLength(4);
    expect(designer.events('versioned').filter((e) => e.event.type === 'bot.created')).toHaveLength(0);
  });
});
