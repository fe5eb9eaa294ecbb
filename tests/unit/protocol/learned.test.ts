import { describe, expect, it } from 'vitest';
import { DesignerServerFrame, designerMethods } from '../../../protocol/designer-wire.js';
import { LEARNED_TEMPLATE_MAX, LearnedOperation, type LearnedCategory } from '../../../protocol/learned.js';

const ada = { id: 'd1', name: 'Ada' };
const category: LearnedCategory = {
  id: 'c1',
  bot: 'starter',
  pattern: 'WHAT ARE YOUR OPENING HOURS',
  that: '*',
  topic: '*',
  template: 'Nine to five.',
  status: 'approved',
  version: 1,
  source: { conversationId: 'conv1', inputSeq: 3, replySeq: 5, input: 'What are your opening hours?', clientName: 'Rusty Sprocket' },
  createdBy: ada,
  createdAt: 1,
  updatedBy: ada,
  updatedAt: 1,
};

describe('the learned-category wire', () => {
  it('carries learned.changed in the bot event log, so designers resume it like any event', () => {
    const frame = { type: 'event', bot: 'starter', id: 7, at: 1, event: { type: 'learned.changed', bot: 'starter', by: ada, at: 1, change: { opId: 'o1', kind: 'capture', categories: [category], removed: [] } } };
    expect(DesignerServerFrame.safeParse(frame).success).toBe(true);
  });

  it('refuses an operation on an existing category without the version it was based on', () => {
    expect(LearnedOperation.safeParse({ kind: 'edit', id: 'c1', fields: { template: 'x' } }).success).toBe(false);
    expect(LearnedOperation.safeParse({ kind: 'edit', id: 'c1', baseVersion: 1, fields: { template: 'x' } }).success).toBe(true);
    // A creating operation is based on nothing: version 0 only.
    expect(LearnedOperation.safeParse({ kind: 'capture', baseVersion: 3, fields: { pattern: 'HI', that: '*', topic: '*', template: 'Hello' } }).success).toBe(false);
  });

  it('refuses an answer over the length limit with a message that says the limit', () => {
    const r = designerMethods['learned.apply'].params.safeParse({ bot: 'starter', op: { kind: 'edit', id: 'c1', baseVersion: 1, fields: { template: 'x'.repeat(LEARNED_TEMPLATE_MAX + 1) } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain(String(LEARNED_TEMPLATE_MAX));
  });

  it('offers "any context" and "only after ..." as the two contexts', () => {
    expect(LearnedOperation.safeParse({ kind: 'setContext', id: 'c1', baseVersion: 2, context: { kind: 'any' } }).success).toBe(true);
    expect(LearnedOperation.safeParse({ kind: 'setContext', id: 'c1', baseVersion: 2, context: { kind: 'after', that: 'DO YOU LIKE TEA' } }).success).toBe(true);
    expect(LearnedOperation.safeParse({ kind: 'setContext', id: 'c1', baseVersion: 2, context: { kind: 'after', that: '' } }).success).toBe(false);
  });
});
