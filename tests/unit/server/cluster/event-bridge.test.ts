import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../../protocol/designer-wire.js';
import { EVENTS_CHANNEL, EventBridge, eventAnnouncement, LOCAL_GAP_MS } from '../../../../server/cluster/event-bridge.js';
import { ManualClock } from '../../../support/manual-clock.js';

/** The database's event log of every instance, and the LISTEN connection, as the bridge sees them. */
function cluster() {
  const log = new Map<string, EventEnvelope[]>();
  const listeners: Array<(payload: string) => void> = [];
  const reconnects: Array<() => void> = [];
  let reads = 0;
  const commit = (bot: string): EventEnvelope => {
    const events = log.get(bot) ?? [];
    const envelope: EventEnvelope = { bot, id: events.length + 1, at: 1, event: { type: 'bot.reloaded', bot, at: 1 } };
    events.push(envelope);
    log.set(bot, events);
    return envelope;
  };
  const storage = {
    botNames: () => Promise.resolve([...log.keys()]),
    lastEventId: (bot: string) => Promise.resolve(log.get(bot)?.length ?? 0),
    eventsAfter: (bot: string, afterId: number, limit: number) => {
      reads++;
      return Promise.resolve((log.get(bot) ?? []).filter((e) => e.id > afterId).slice(0, limit));
    },
  };
  const announcements = {
    listen: (channel: string, onPayload: (payload: string) => void) => {
      expect(channel).toBe(EVENTS_CHANNEL);
      listeners.push(onPayload);
      return Promise.resolve();
    },
    onReconnect: (callback: () => void) => (reconnects.push(callback), () => undefined),
  };
  const announce = (payload: string) => listeners.forEach((l) => l(payload));
  return { log, commit, storage, announcements, announce, reconnected: () => reconnects.forEach((r) => r()), reads: () => reads };
}

async function bridgeOn(c: ReturnType<typeof cluster>, clock = new ManualClock()) {
  const published: number[] = [];
  const errors: unknown[] = [];
  const announced: string[] = [];
  const bridge = new EventBridge({
    storage: c.storage,
    announcements: c.announcements,
    publish: (e) => published.push(e.id),
    announce: (payload) => (announced.push(payload), Promise.resolve()),
    onError: (e) => errors.push(e),
    instanceId: 'this-one',
    clock,
  });
  await bridge.start();
  return { bridge, published, errors, announced, clock };
}

describe('event bridge between Platform instances', () => {
  it('publishes another instance\'s events in id order, each once, however the announcements arrive', async () => {
    const c = cluster();
    c.commit('starter');
    const { bridge, published } = await bridgeOn(c);
    c.commit('starter');
    c.commit('starter');
    c.commit('starter');
    // Announcements out of order and repeated: the events are read from the log by id, not taken from the payload.
    c.announce(eventAnnouncement('starter', 4));
    c.announce(eventAnnouncement('starter', 2));
    c.announce(eventAnnouncement('starter', 4));
    await bridge.settled();
    expect(published).toEqual([2, 3, 4]);
  });

  it("this instance's next event goes out at once without a read; one past a gap waits for the other instance's event before it", async () => {
    const c = cluster();
    const { bridge, published } = await bridgeOn(c);
    bridge.local(c.commit('starter'));
    expect(published).toEqual([1]);
    expect(c.reads()).toBe(0);
    c.commit('starter'); // another instance's, not announced yet
    bridge.local(c.commit('starter'));
    await bridge.settled();
    expect(published).toEqual([1]);
    // Its announcement arrives: 2 is read, and 3 follows it.
    c.announce(eventAnnouncement('starter', 2, 'another'));
    await bridge.settled();
    expect(published).toEqual([1, 2, 3]);
    c.announce(eventAnnouncement('starter', 2, 'another'));
    await bridge.settled();
    expect(published).toEqual([1, 2, 3]);
  });

  it("publishes this instance's own events in id order when their commits are answered out of order, without a read", async () => {
    const c = cluster();
    const { bridge, published } = await bridgeOn(c);
    const [first, second, third] = [c.commit('starter'), c.commit('starter'), c.commit('starter')];
    bridge.local(third);
    bridge.local(second);
    // Its own announcements (in the commit's transaction) are not news to it.
    c.announce(eventAnnouncement('starter', 3, 'this-one'));
    await bridge.settled();
    expect(published).toEqual([]);
    bridge.local(first);
    expect(published).toEqual([1, 2, 3]);
    expect(c.reads()).toBe(0);
  });

  it('reads a gap that no local event and no announcement fills, after a moment', async () => {
    const c = cluster();
    const { bridge, published, clock } = await bridgeOn(c);
    c.commit('starter'); // committed by an instance that died before announcing it
    bridge.local(c.commit('starter'));
    clock.advance(LOCAL_GAP_MS - 1);
    await bridge.settled();
    expect(published).toEqual([]);
    clock.advance(1);
    await bridge.settled();
    expect(published).toEqual([1, 2]);
    expect(clock.pending).toBe(0);
  });

  it("announces this instance's commits to the others once per bot per turn, with the newest id", async () => {
    const c = cluster();
    const { announced, bridge } = await bridgeOn(c);
    bridge.local(c.commit('a'));
    bridge.local(c.commit('a'));
    bridge.local(c.commit('b'));
    await new Promise<void>((r) => setImmediate(r));
    expect(announced).toEqual([eventAnnouncement('a', 2, 'this-one'), eventAnnouncement('b', 1, 'this-one')]);
  });

  it('after the listening connection comes back it catches up every bot on what it missed', async () => {
    const c = cluster();
    c.commit('a');
    c.commit('b');
    const { bridge, published } = await bridgeOn(c);
    c.commit('a');
    c.commit('b');
    c.commit('b');
    c.reconnected();
    await bridge.settled();
    expect(published.sort()).toEqual([2, 2, 3]);
  });

  it('a bad announcement is reported and changes nothing', async () => {
    const c = cluster();
    const { bridge, published, errors } = await bridgeOn(c);
    c.announce('not json');
    c.announce('{"bot":1}');
    await bridge.settled();
    expect(published).toEqual([]);
    expect(errors).toHaveLength(2);
  });

  it('reads a long gap in pages and publishes all of it', async () => {
    const c = cluster();
    const { bridge, published } = await bridgeOn(c);
    for (let i = 0; i < 1_200; i++) c.commit('starter');
    c.announce(eventAnnouncement('starter', 1_200));
    await bridge.settled();
    expect(published).toHaveLength(1_200);
    expect(published.every((id, i) => id === i + 1)).toBe(true);
  });
});
