import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { compileBot, type Bot } from '../../../../aiml/index.js';
import { LearnedLayer } from '../../../../aiml/learned/index.js';
import type { LearnedCategory } from '../../../../protocol/learned.js';
import type { LearnedStore } from '../../../../server/training/learned-store.js';
import { LiveLearned } from '../../../../server/training/live-learned.js';
import { aiml, cat } from '../../aiml/support.js';

/**
 * In a cluster, an instance's bot follows the categories other instances changed (`LiveLearned.follow`, fed by the
 * `learned.changed` events of the event bridge): read from the store, idempotent by version, never taking back a
 * change made here meanwhile. The store here is a stand-in whose reads the test holds and releases.
 */

const ada = { id: 'd1', name: 'Ada' };
const category = (id: string, version: number, template: string, patch: Partial<LearnedCategory> = {}): LearnedCategory => ({
  id,
  bot: 'shop',
  pattern: 'OPENING HOURS',
  that: '*',
  topic: '*',
  template,
  status: 'approved',
  version,
  createdBy: ada,
  createdAt: 1,
  updatedBy: ada,
  updatedAt: 1,
  ...patch,
});

function setUp() {
  const layer = LearnedLayer.on(compileBot({ 'aiml/base.aiml': aiml(cat('*', 'I have no answer.')) }, { botName: 'shop' }).bot);
  const rows = new Map<string, LearnedCategory>();
  const held: Array<() => void> = [];
  let holding = false;
  const store = {
    all: async () => [...rows.values()],
    get: async (_bot: string, id: string) => {
      const row = rows.get(id);
      if (holding) await new Promise<void>((release) => held.push(release));
      return row;
    },
  } as unknown as LearnedStore;
  const layerChanges: string[] = [];
  for (const method of ['put', 'replace', 'remove'] as const) {
    const original = layer[method].bind(layer) as (...args: unknown[]) => unknown;
    (layer as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => (layerChanges.push(method), original(...args));
  }
  const files: string[] = [];
  const shared: string[] = [];
  const live = new LiveLearned({
    store,
    registry: { exists: () => true, learnedLayer: () => layer, writeLearnedFile: (_bot, content) => void files.push(Buffer.from(content).toString('utf8')) },
    logger: pino({ enabled: false }),
    fileDebounceMs: 0,
    shareFile: async (bot) => void shared.push(bot),
  });
  const ask = (input: string) => say(layer.bot, input);
  return {
    live,
    rows,
    layerChanges,
    files,
    shared,
    ask,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const r of held.splice(0)) r();
    },
    readsHeld: () => held.length,
  };
}

function say(bot: Bot, input: string): string {
  return bot.respond(bot.createSession('u'), input).text;
}

describe('learned categories changed on another instance', () => {
  it('go live here when their event is heard, and hearing it again changes nothing', async () => {
    const t = setUp();
    t.rows.set('l1', category('l1', 1, 'From ten to four.'));
    await t.live.follow('shop', ['l1']);
    expect(t.ask('opening hours')).toBe('From ten to four.');
    t.rows.set('l1', category('l1', 2, 'From ten to five.'));
    await t.live.follow('shop', ['l1']);
    await t.live.follow('shop', ['l1']);
    expect(t.ask('opening hours')).toBe('From ten to five.');
    expect(t.layerChanges).toEqual(['put', 'replace']);
  });

  it('a category deleted or turned back into a draft elsewhere stops answering here', async () => {
    const t = setUp();
    t.rows.set('l1', category('l1', 1, 'From ten to four.'));
    t.rows.set('l2', category('l2', 1, 'We deliver.', { pattern: 'DO YOU DELIVER' }));
    await t.live.follow('shop', ['l1', 'l2']);
    t.rows.delete('l1');
    t.rows.set('l2', category('l2', 2, 'We deliver.', { pattern: 'DO YOU DELIVER', status: 'draft' }));
    await t.live.follow('shop', ['l1', 'l2']);
    expect(t.ask('opening hours')).toBe('I have no answer.');
    expect(t.ask('do you deliver')).toBe('I have no answer.');
  });

  it('a change made here while another instance’s change was being read is not taken back by that read', async () => {
    const t = setUp();
    t.rows.set('l1', category('l1', 1, 'From ten to four.'));
    await t.live.follow('shop', ['l1']);
    t.rows.set('l1', category('l1', 2, 'From nine to four.'));
    t.hold();
    const following = t.live.follow('shop', ['l1']);
    await new Promise((r) => setImmediate(r));
    expect(t.readsHeld()).toBe(1);
    // This instance's own edit (version 3) commits and goes live while the read of version 2 is on its way.
    t.live.applied('shop', [{ before: category('l1', 1, 'From ten to four.'), after: category('l1', 3, 'From ten to six.') }]);
    t.release();
    await following;
    expect(t.ask('opening hours')).toBe('From ten to six.');
    // An older version read later (an event heard late) does not take it back either.
    await t.live.follow('shop', ['l1']);
    expect(t.ask('opening hours')).toBe('From ten to six.');
  });

  it('a category created here while a read found it absent (the read began before the commit) stays live', async () => {
    const t = setUp();
    t.hold();
    const following = t.live.follow('shop', ['l1']);
    await new Promise((r) => setImmediate(r));
    expect(t.readsHeld()).toBe(1);
    t.rows.set('l1', category('l1', 1, 'From ten to four.'));
    t.live.applied('shop', [{ before: null, after: category('l1', 1, 'From ten to four.') }]);
    t.release();
    await following;
    expect(t.ask('opening hours')).toBe('From ten to four.');
  });

  it('only the instance that made a change shares the file; each writes its own copy', async () => {
    const t = setUp();
    t.rows.set('l1', category('l1', 1, 'From ten to four.'));
    await t.live.follow('shop', ['l1']);
    // flush() writes every file still waiting and waits for it: nothing is left to share after it.
    await t.live.flush();
    expect(t.files.at(-1)).toContain('<template>From ten to four.</template>');
    expect(t.shared).toEqual([]);
    t.live.applied('shop', [{ before: null, after: category('l2', 1, 'We deliver.', { pattern: 'DO YOU DELIVER' }) }]);
    await t.live.flush();
    expect(t.files.at(-1)).toContain('<template>We deliver.</template>');
    expect(t.shared).toEqual(['shop']);
  });
});
