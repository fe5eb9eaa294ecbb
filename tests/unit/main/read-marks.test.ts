import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationCache } from '../../../main/conversation-cache.js';
import { FileReadMarks } from '../../../main/read-marks.js';
import { ManualClock } from '../../support/manual-clock.js';
import { envelope, message, summary } from './support/fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-marks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('read marks', () => {
  it('are written a moment after the last change, not on every read', async () => {
    const clock = new ManualClock();
    const file = join(dir, 'marks', 'p.json');
    const marks = new FileReadMarks(file, clock, 1000);
    marks.set('c1', 3);
    marks.set('c1', 5);
    marks.set('c1', 4); // never goes back
    expect(existsSync(file)).toBe(false);
    clock.advance(1000);
    await marks.flush();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, marks: { c1: 5 } });
    expect(new FileReadMarks(file, clock).get('c1')).toBe(5);
  });

  it('start afresh from an unreadable file', () => {
    const file = join(dir, 'p.json');
    writeFileSync(file, '{broken');
    expect(new FileReadMarks(file, new ManualClock()).get('c1')).toBeUndefined();
  });

  it('keep a conversation read across a Studio restart: no unread count comes back', async () => {
    const clock = new ManualClock();
    const file = join(dir, 'p.json');
    const last = { author: 'user' as const, text: 'thanks', at: 1, seq: 4 };
    const first = new ConversationCache();
    const marks = new FileReadMarks(file, clock);
    first.useReadMarks(marks);
    first.setDesigner({ id: 'd1', name: 'Ada' });
    first.applySnapshot('starter', [summary('c1', { lastSeq: 4, lastMessage: last }), summary('c2', { lastSeq: 4, lastMessage: last })]);
    first.markRead('c1', 4);
    first.applyEvent(envelope(1, { type: 'message.created', message: message('c2', 5, 'human', 'welcome', { designer: { id: 'd1', name: 'Ada' } }) }));
    await marks.flush(); // what Studio does on quit

    const restarted = new ConversationCache();
    restarted.useReadMarks(new FileReadMarks(file, clock));
    restarted.applySnapshot('starter', [summary('c1', { lastSeq: 4, lastMessage: last }), summary('c3', { lastSeq: 4, lastMessage: last })]);
    expect(restarted.get('c1')!.unread).toBe(0);
    expect(restarted.get('c3')!.unread).toBe(1);
  });
});
