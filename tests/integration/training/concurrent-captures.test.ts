import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesignerResult } from '../../../protocol/designer-wire.js';
import { inParallel } from '../../support/in-parallel.js';
import { DesignerClient } from '../server/support/clients.js';
import { startTestPlatform } from '../server/support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

const EACH = 1_000;

/** Captures one category, waiting and sending again when the Platform's rate limit asks to (it applied nothing). */
function capture(designer: DesignerClient, pattern: string, template: string): Promise<DesignerResult<'learned.apply'>> {
  return designer.requestWhenAllowed('learned.apply', { bot: 'starter', op: { kind: 'capture', baseVersion: 0, fields: { pattern, that: '*', topic: '*', template } } });
}

describe('two designers capturing into one bot at the same time', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await startTestPlatform();
  });
  afterEach(async () => {
    await t.close();
  });

  it('1,000 categories each: 2,000 present, none lost, each announced once', async () => {
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const bob = await DesignerClient.connect(t.url, t.bob.token);
    const [fromAda, fromBob] = await Promise.all([
      inParallel(EACH, 50, (i) => capture(ada, `ADA QUESTION ${i}`, `Ada answers ${i}.`)),
      inParallel(EACH, 50, (i) => capture(bob, `BOB QUESTION ${i}`, `Bob answers ${i}.`)),
    ]);
    expect(new Set([...fromAda, ...fromBob].map((r) => r.categories[0]!.id)).size).toBe(2 * EACH);

    const listed = [];
    let cursor: string | undefined;
    do {
      const page = await ada.requestWhenAllowed('learned.list', { bot: 'starter', limit: 1000, ...(cursor ? { cursor } : {}) });
      listed.push(...page.categories);
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toHaveLength(2 * EACH);
    expect(listed.filter((c) => c.createdBy.name === 'Ada')).toHaveLength(EACH);
    expect(listed.filter((c) => c.createdBy.name === 'Bob')).toHaveLength(EACH);
    // Each capture reached the other designer live, once.
    const seen = new Set<string>();
    for (const e of bob.events('starter')) if (e.event.type === 'learned.changed') for (const c of e.event.change.categories) seen.add(c.id);
    expect(seen.size).toBe(2 * EACH);
    await ada.close();
    await bob.close();
  }, 120_000);
});
