import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { SqliteStorage } from '../../../server/storage/sqlite-storage.js';
import { ChatClient, DesignerClient } from './support/clients.js';
import { withSlowReads } from './support/slow-reads.js';
import { startTestPlatform, tempDataDir } from './support/test-platform.js';

/**
 * Storage reads are asynchronous: a designer's replay (or a widget's history) is read while other messages commit.
 * Whatever interleaves, each designer gets every event once, in order, and each user every message once. The reads
 * are slowed to a turn each, so commits do land between them.
 */
describe('resuming while users keep talking', () => {
  let t: Awaited<ReturnType<typeof startTestPlatform>>;
  const data = tempDataDir('slow-reads');
  beforeAll(async () => {
    const storage = withSlowReads(new SqliteStorage({ file: join(data.dir, 'platform.sqlite') }));
    t = await startTestPlatform({ dataDir: data.dir, storage });
  });
  afterAll(async () => {
    await t.close();
    data.remove();
  });

  it('designers who resume mid-traffic get every event exactly once, in order, and users every message once', async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => ChatClient.connect(t.url)));
    const early = await DesignerClient.connect(t.url, t.ada.token, { starter: 0 });
    await Promise.all(users.map((u, i) => u.say(`one from ${i}`)));
    // Second windows on the same sessions open while the users go on talking (history in the welcome, then live).
    const windowsOpening = Promise.all(users.map((u) => ChatClient.connect(t.url, 'starter', { session: u.session })));
    // Sent without waiting: the designers and second windows say hello while these are stored and answered.
    // One after the other per user, so the traffic lasts while the others connect.
    const sent = users.map(async (u, i) => {
      for (const w of ['two', 'three', 'four', 'five']) await u.say(`${w} from ${i}`);
    });
    const during = await Promise.all([
      DesignerClient.connect(t.url, t.ada.token, { starter: 0 }),
      DesignerClient.connect(t.url, t.bob.token, { starter: 2 }),
      DesignerClient.connect(t.url, t.bob.token, {}),
    ]);
    const secondWindows = await windowsOpening;
    await Promise.all(sent);
    for (const u of [...users, ...secondWindows]) await vi.waitFor(() => expect(u.messages().filter((m) => m.from === 'bot')).toHaveLength(5), { timeout: 20_000 });
    const late = await DesignerClient.connect(t.url, t.ada.token, { starter: 3 });
    const last = late.log.frames.find((f) => f.type === 'synced' && f.bot === 'starter');
    const lastEventId = last?.type === 'synced' ? last.lastEventId : 0;
    // 8 conversations started, 40 user messages, 40 bot replies.
    expect(lastEventId).toBe(88);

    for (const [designer, from] of [[early, 0], [during[0]!, 0], [during[1]!, 2], [late, 3]] as const) {
      await designer.waitForEvent((e) => e.bot === 'starter' && e.id === lastEventId, `event ${lastEventId}`, 20_000);
      expect(designer.events('starter').map((e) => e.id)).toEqual(Array.from({ length: lastEventId - from }, (_, i) => from + i + 1));
    }
    // Without a resume position: a snapshot, then only what came after it, once each.
    const fresh = during[2]!;
    const snapshot = fresh.log.frames.find((f) => f.type === 'snapshot');
    const after = snapshot?.type === 'snapshot' ? snapshot.lastEventId : 0;
    if (after < lastEventId) await fresh.waitForEvent((e) => e.id === lastEventId, `event ${lastEventId}`, 20_000);
    expect(fresh.events('starter').map((e) => e.id)).toEqual(Array.from({ length: lastEventId - after }, (_, i) => after + i + 1));

    // Each window, also one opened mid-conversation (history in its welcome, then live), has every message once.
    for (const u of [...users, ...secondWindows]) {
      const seqs = u.messages().map((m) => m.seq);
      expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    }
    for (const c of [...users, ...secondWindows, early, ...during, late]) await c.close();
  });
});
