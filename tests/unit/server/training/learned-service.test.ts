import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../../protocol/designer-wire.js';
import { AppError } from '../../../../protocol/errors.js';
import type { LearnedCategory } from '../../../../protocol/learned.js';
import { LearnedService } from '../../../../server/training/learned-service.js';
import { StaleVersionError } from '../../../../server/training/learned-store.js';
import { SqliteLearnedStore } from '../../../../server/training/sqlite-learned-store.js';
import { ManualClock } from '../../../support/manual-clock.js';

const ada = { id: 'd1', name: 'Ada' };
const bob = { id: 'd2', name: 'Bob' };
const fields = (pattern: string, template = 'An answer.') => ({ pattern, that: '*', topic: '*', template });

describe('learned categories: operations with versions', () => {
  let dir: string;
  let store: SqliteLearnedStore;
  let service: LearnedService;
  let review = false;
  const events: DomainEvent[] = [];
  const live: string[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lts-learned-'));
    store = new SqliteLearnedStore(join(dir, 'learned.db'));
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
    await store.close();
    rmSync(dir, { recursive: true, force: true });
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
});
