import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../protocol/designer-wire.js';
import { AppError } from '../../protocol/errors.js';
import type { LearnedCategory } from '../../protocol/learned.js';
import { LearnedService } from '../../server/training/learned-service.js';
import { StaleVersionError, WatermarkMovedError, type LearnedStore } from '../../server/training/learned-store.js';
import { ManualClock } from './manual-clock.js';

/**
 * What every LearnedStore promises (server/training/learned-store.ts), through the operations that use it, as one
 * suite each backend runs: `describeLearnedStoreContract('SQLite', open)` and the same for PostgreSQL. `open` gives a
 * fresh, empty store and a way to open a second one on the same data (another Platform instance, a restart).
 */
export interface OpenedLearnedStore {
  store: LearnedStore;
  /** Another store on the same data. */
  another(): Promise<LearnedStore>;
  cleanup(): Promise<void>;
}

const ada = { id: 'd1', name: 'Ada' };
const bob = { id: 'd2', name: 'Bob' };
const fields = (pattern: string, template = 'An answer.') => ({ pattern, that: '*', topic: '*', template });

export function describeLearnedStoreContract(name: string, open: () => Promise<OpenedLearnedStore>): void {
  describe(`learned categories: operations with versions (${name})`, () => {
    let opened: OpenedLearnedStore;
    let store: LearnedStore;
    let service: LearnedService;
    let review = false;
    const events: DomainEvent[] = [];
    const live: string[] = [];
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      let n = 0;
      review = false;
      events.length = 0;
      live.length = 0;
      service = new LearnedService({
        store,
        clock: new ManualClock(),
        newId: () => `l${++n}`,
        publish: (_bot, event) => events.push(event),
        reviewFirst: () => review,
        onChanged: (_bot, entries) => live.push(...entries.map((e) => `${e.before?.status === 'approved' ? e.before.template : '-'} -> ${e.after?.status === 'approved' ? e.after.template : '-'}`)),
      });
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    const capture = (pattern: string, template?: string, opId = `op-${pattern}`) => service.apply(ada, 'starter', { kind: 'capture', baseVersion: 0, fields: fields(pattern, template) }, opId);
    const conflictOf = async (p: Promise<unknown>) => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('conflict');
      return (error as AppError).details as { current: LearnedCategory | null; yours: unknown };
    };

    it('the store refuses a commit whose expected version is stale, and changes nothing', async () => {
      const created = await capture('HELLO THERE');
      const category = created.categories[0]!;
      await expect(store.commit('starter', { expect: [{ id: category.id, version: 7 }], removes: [category.id] })).rejects.toBeInstanceOf(StaleVersionError);
      expect(await store.get('starter', category.id)).toEqual(category);
    });

    it('a retried operation (same id) is applied once and answers what it did', async () => {
      const first = await capture('HELLO THERE', 'Hi.', 'same-id');
      const again = await capture('HELLO THERE', 'Hi.', 'same-id');
      expect(again.categories.map((c) => c.id)).toEqual(first.categories.map((c) => c.id));
      expect(await store.count('starter')).toBe(1);
      expect(events).toHaveLength(1);
    });

    it('capturing an input that already has a category is a conflict showing the one there', async () => {
      await capture('HELLO THERE', 'Hi.');
      const conflict = await conflictOf(capture('HELLO THERE', 'Hello!', 'other'));
      expect(conflict.current?.template).toBe('Hi.');
    });

    it('review mode keeps new categories out of the bot until approved', async () => {
      review = true;
      const created = await capture('HELLO THERE', 'Hi.');
      expect(created.categories[0]!.status).toBe('draft');
      expect(live).toEqual([]);
      await service.apply(bob, 'starter', { kind: 'approve', id: created.categories[0]!.id, baseVersion: 1 }, 'approve');
      expect(live).toEqual(['- -> Hi.']);
    });

    it('setContext switches between any context and only after a reply', async () => {
      const id = (await capture('YES')).categories[0]!.id;
      const after = await service.apply(ada, 'starter', { kind: 'setContext', id, baseVersion: 1, context: { kind: 'after', that: 'DO YOU LIKE TEA' } }, 's1');
      expect(after.categories[0]).toMatchObject({ that: 'DO YOU LIKE TEA', version: 2 });
      const any = await service.apply(ada, 'starter', { kind: 'setContext', id, baseVersion: 2, context: { kind: 'any' } }, 's2');
      expect(any.categories[0]).toMatchObject({ that: '*', version: 3 });
    });

    it('an import adds what is new, leaves what is the same, and returns the differing ones as conflicts', async () => {
      await capture('HELLO THERE', 'Hi.');
      const result = await service.apply(bob, 'starter', { kind: 'import', baseVersion: 0, approve: true, categories: [fields('HELLO THERE', 'Hi.'), fields('GOOD BYE', 'Bye.'), fields('HELLO THERE', 'Howdy.')] }, 'imp');
      expect(result.categories.map((c) => c.pattern)).toEqual(['GOOD BYE']);
      expect(result.conflicts).toEqual([]); // the first of two identical keys wins; the same answer is no conflict
      const second = await service.apply(bob, 'starter', { kind: 'import', baseVersion: 0, approve: true, categories: [fields('HELLO THERE', 'Howdy.')] }, 'imp2');
      expect(second.conflicts.map((c) => [c.current?.template, c.yours?.template])).toEqual([['Hi.', 'Howdy.']]);
      expect((await store.byKey('starter', fields('HELLO THERE')))?.template).toBe('Hi.');
    });

    it('undo survives a new service on the same store (a restart) and is itself undoable', async () => {
      const id = (await capture('HELLO THERE', 'Hi.')).categories[0]!.id;
      const edit = await service.apply(ada, 'starter', { kind: 'edit', id, baseVersion: 1, fields: { template: 'Hello.' } }, 'e1');
      const restarted = new LearnedService({ store, clock: new ManualClock(), newId: () => 'x', publish: () => 0, reviewFirst: () => false, onChanged: () => {} });
      const undo = await restarted.apply(bob, 'starter', { kind: 'undo', opId: edit.opId, baseVersion: 2 }, 'u1');
      expect(undo.categories[0]).toMatchObject({ template: 'Hi.', version: 3 });
      const redo = await restarted.apply(bob, 'starter', { kind: 'undo', opId: undo.opId, baseVersion: 3 }, 'u2');
      expect(redo.categories[0]).toMatchObject({ template: 'Hello.', version: 4 });
    });
    it('the capture watermark is compare-and-set: a consumer planned from an old watermark is refused and nothing of its commit is kept', async () => {
      await store.commit('starter', { watermark: 5, watermarkFrom: null });
      await expect(store.commit('starter', { watermark: 9, watermarkFrom: null })).rejects.toBeInstanceOf(WatermarkMovedError);
      const other = await opened.another();
      try {
        await other.commit('starter', { watermark: 7, watermarkFrom: 5, unanswered: [{ groupKey: 'OPENING HOURS', input: 'Opening hours?', conversationId: 'c1', at: 10 }] });
        await expect(
          store.commit('starter', { watermark: 8, watermarkFrom: 5, unanswered: [{ groupKey: 'OPENING HOURS', input: 'Opening hours?', conversationId: 'c1', at: 10 }] }),
        ).rejects.toBeInstanceOf(WatermarkMovedError);
        expect(await store.watermark('starter')).toBe(7);
        expect((await store.unansweredGroup('starter', 'OPENING HOURS'))?.count).toBe(1);
      } finally {
        await other.close();
      }
    });

    it('two instances committing from one watermark at once: exactly one succeeds', async () => {
      await store.commit('starter', { watermark: 0, watermarkFrom: null });
      const stores = [store, await opened.another(), await opened.another()];
      try {
        let n = 0;
        const results = await Promise.allSettled(
          stores.map((s, i) => {
            const category = { ...fields(`QUESTION ${i}`), id: `race${i}`, bot: 'starter', status: 'approved' as const, version: 1, createdBy: ada, createdAt: 1, updatedBy: ada, updatedAt: 1 };
            n++;
            return s.commit('starter', { watermark: 1, watermarkFrom: 0, expect: [{ id: category.id, version: null }], upserts: [category] });
          }),
        );
        expect(n).toBe(3);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(WatermarkMovedError), expect.any(WatermarkMovedError)]);
        expect(await store.count('starter')).toBe(1);
      } finally {
        for (const s of stores.slice(1)) await s.close();
      }
    });

    it('history is per category and per bot, newest first, and lists what each operation wrote', async () => {
      const id = (await capture('HELLO THERE', 'Hi.')).categories[0]!.id;
      await service.apply(bob, 'starter', { kind: 'edit', id, baseVersion: 1, fields: { template: 'Hello.' } }, 'e1');
      await capture('GOOD BYE', 'Bye.');
      expect((await store.history('starter', { categoryId: id, limit: 10 })).map((h) => [h.kind, h.designer.name, h.after?.template])).toEqual([
        ['edit', 'Bob', 'Hello.'],
        ['capture', 'Ada', 'Hi.'],
      ]);
      expect((await store.history('starter', { limit: 2 })).map((h) => h.after?.template)).toEqual(['Bye.', 'Hello.']);
      expect((await store.operation('starter', 'e1')).map((h) => h.before?.template)).toEqual(['Hi.']);
      expect(await store.history('other-bot', { limit: 10 })).toEqual([]);
    });

    it('unanswered groups count hits, list their conversations, are ignored on request and leave the queue when answered', async () => {
      const hit = (groupKey: string, conversationId: string, at: number) => ({ groupKey, input: groupKey.toLowerCase(), conversationId, at });
      await store.commit('starter', { unanswered: [hit('OPENING HOURS', 'c1', 10), hit('OPENING HOURS', 'c2', 20), hit('DO YOU DELIVER', 'c3', 15)] });
      expect((await store.unanswered('starter', { includeIgnored: false, limit: 10 })).map((g) => [g.groupKey, g.count, g.firstSeen, g.lastSeen, g.conversations])).toEqual([
        ['OPENING HOURS', 2, 10, 20, ['c2', 'c1']],
        ['DO YOU DELIVER', 1, 15, 15, ['c3']],
      ]);
      await store.commit('starter', { ignoreGroup: { groupKey: 'DO YOU DELIVER', ignored: true } });
      expect((await store.unanswered('starter', { includeIgnored: false, limit: 10 })).map((g) => g.groupKey)).toEqual(['OPENING HOURS']);
      expect((await store.unansweredGroup('starter', 'DO YOU DELIVER'))?.ignored).toBe(true);
      await store.commit('starter', { answeredGroups: ['OPENING HOURS'] });
      expect(await store.unansweredGroup('starter', 'OPENING HOURS')).toBeUndefined();
      expect((await store.unanswered('starter', { includeIgnored: true, limit: 10 })).map((g) => g.groupKey)).toEqual(['DO YOU DELIVER']);
    });

    it('a long input (2,000 characters, 6,000 bytes) is queued and answered like any other, and so is a long pattern', async () => {
      // Characters that do not compress (PostgreSQL compresses an index entry before it measures it).
      const long = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('');
      await store.commit('starter', { unanswered: [{ groupKey: long, input: long, conversationId: 'c1', at: 10 }, { groupKey: long, input: long, conversationId: 'c2', at: 11 }] });
      expect((await store.unansweredGroup('starter', long))?.count).toBe(2);
      const created = await capture(`${long} ${long}`.slice(0, 2000), 'Nine to five.', 'long-op');
      expect((await store.byKey('starter', fields(`${long} ${long}`.slice(0, 2000))))?.id).toBe(created.categories[0]!.id);
      await store.commit('starter', { answeredGroups: [long] });
      expect(await store.unansweredGroup('starter', long)).toBeUndefined();
    });

    it('capture links and the watermark are kept with the category in one commit, and none of it when the commit is refused', async () => {
      const category = { ...fields('HELLO THERE', 'Hi.'), id: 'k1', bot: 'starter', status: 'approved' as const, version: 1, createdBy: ada, createdAt: 1, updatedBy: ada, updatedAt: 1 };
      await store.commit('starter', { upserts: [category], watermark: 3, captureLinks: [{ conversationId: 'c1', categoryId: 'k1', inputSeq: 1, lastReplySeq: 2 }] });
      const twin = { ...category, id: 'k2', template: 'Hello.' };
      await expect(store.commit('starter', { upserts: [twin], watermark: 4, captureLinks: [{ conversationId: 'c2', categoryId: 'k2', inputSeq: 1, lastReplySeq: 2 }] })).rejects.toThrow(/already answers HELLO THERE/);
      expect(await store.watermark('starter')).toBe(3);
      expect(await store.lastCapture('c2')).toBeUndefined();
      expect(await store.lastCapture('c1')).toEqual({ conversationId: 'c1', categoryId: 'k1', inputSeq: 1, lastReplySeq: 2 });
      expect((await store.list('starter', { limit: 10 })).map((c) => c.id)).toEqual(['k1']);
    });
  });
}
