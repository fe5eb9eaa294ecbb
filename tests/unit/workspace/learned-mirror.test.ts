import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCategories } from '../../../aiml/index.js';
import { liveTrainingFileText } from '../../../main/workspace/live-training-file.js';
import { TrainingWorkspace } from '../../../main/workspace/training-workspace.js';
import { FakeHost, workspaceFixture, type Fixture } from './support/workspace-fixture.js';

const BEA = { id: 'd2', name: 'Bea' };

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture();
});
afterEach(() => f.close());

async function asked(input: string, answer: string, designer?: { id: string; name: string }) {
  const c = f.conversation(`c-${input}`);
  c.add('user', input);
  return c.reply(answer, false, designer);
}

const patterns = async () => (await f.ws.workspace('starter')).categories.map((c) => c.pattern).sort();

describe('the Training mirror of the Platform', () => {
  it("lists the bot's categories from the Platform when Training opens, and takes another designer's capture live", async () => {
    await asked('Do you ship to Mars?', 'Every Tuesday.');
    expect(await patterns()).toEqual(['DO YOU SHIP TO MARS']);

    const before = f.host.changes();
    await asked('What are your opening hours?', 'Nine to five.', BEA);
    expect(f.host.changes()).toBeGreaterThan(before);
    const view = await f.ws.workspace('starter');
    const hours = view.categories.find((c) => c.pattern === 'WHAT ARE YOUR OPENING HOURS')!;
    expect(hours).toMatchObject({ template: 'Nine to five.', status: 'approved', version: 1, updatedBy: 'Bea', source: { input: 'What are your opening hours?' } });
  });

  it('opens offline with what it mirrored, from the workspace folder, after a restart', async () => {
    await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.workspace('starter');
    f.ws.close();

    const host = new FakeHost(f.workspaceDir);
    const again = new TrainingWorkspace();
    again.attach(host);
    const view = await again.workspace('starter');
    expect(view.categories.map((c) => c.pattern)).toEqual(['DO YOU SHIP TO MARS']);
    expect(view.sync?.online).toBe(false);
  });

  it('writes the approved categories into the workspace pand_livetraining.aiml, as valid AIML', async () => {
    await asked('Do you ship to Mars?', 'Every Tuesday & Friday.');
    await asked('hello', 'Hi!');
    await f.ws.workspace('starter');
    const parsed = parseCategories(readFileSync(f.files().aimlFile, 'utf8'), 'pand_livetraining.aiml');
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.categories.map((c) => c.pattern).sort()).toEqual(['DO YOU SHIP TO MARS', 'HELLO']);
    const exported = await f.ws.exportFile('starter');
    expect(exported.text).toContain('Every Tuesday &amp; Friday.');
  });
});

describe('edits made while the link is down', () => {
  it('queue in a persisted outbox and apply in order, with their base version, when the link is back', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.workspace('starter');
    await f.setOnline(false);

    expect(await f.ws.update('starter', mars.id, { pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Every Friday.' })).toEqual({ outcome: 'queued', id: mars.id });
    expect(await f.ws.update('starter', mars.id, { pattern: '^ SHIP TO MARS ^', that: '*', topic: '*', template: 'Every Friday.' })).toMatchObject({ outcome: 'queued' });
    const offline = await f.ws.workspace('starter');
    expect(offline.sync?.queued.map((q) => q.label)).toEqual(['Edit of DO YOU SHIP TO MARS', 'Edit of ^ SHIP TO MARS ^']);
    expect(f.platform.all()[0]!.template).toBe('Every Tuesday.');

    // Studio restarts while offline: the outbox is still there.
    f.ws.close();
    const host = f.host;
    const again = new TrainingWorkspace();
    again.attach(host);
    f.platform.subscribe((e) => again.learnedChanged(e));
    expect((await again.workspace('starter')).sync?.queued).toHaveLength(2);

    host.requester = f.platform.as({ id: 'd1', name: 'Ada' });
    await again.linkChanged(true);
    const view = await again.workspace('starter');
    expect(view.sync?.queued).toEqual([]);
    expect(view.unsent).toEqual([]);
    expect(f.platform.all()[0]).toMatchObject({ pattern: '^ SHIP TO MARS ^', template: 'Every Friday.', version: 3 });
    again.close();
  });

  it('become a conflict, with both versions, when another designer changed the category meanwhile; "use mine" re-applies on the current version', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.workspace('starter');
    await f.setOnline(false);
    await f.ws.update('starter', mars.id, { pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Mine: Fridays.' });
    await f.platform.apply(BEA, { kind: 'edit', id: mars.id, baseVersion: 1, fields: { template: 'Theirs: Mondays.' } });

    await f.setOnline(true);
    const view = await f.ws.workspace('starter');
    expect(view.unsent).toHaveLength(1);
    const [conflict] = view.unsent!;
    expect(conflict!.conflict).toMatchObject({ theirs: { template: 'Theirs: Mondays.', by: 'Bea', version: 2 }, yours: { template: 'Mine: Fridays.' } });
    expect(f.platform.all()[0]!.template).toBe('Theirs: Mondays.');

    expect(await f.ws.resolve('starter', conflict!.opId, 'mine')).toMatchObject({ outcome: 'applied' });
    expect(f.platform.all()[0]).toMatchObject({ template: 'Mine: Fridays.', version: 3 });
    expect((await f.ws.workspace('starter')).unsent).toEqual([]);
  });

  it('keeps theirs, or saves a merge the designer edited, and nothing is overwritten silently', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    const hello = await asked('hello', 'Hi!');
    await f.ws.workspace('starter');
    await f.setOnline(false);
    await f.ws.update('starter', mars.id, { pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Mine.' });
    await f.ws.update('starter', hello.id, { pattern: 'HELLO', that: '*', topic: '*', template: 'Mine too.' });
    await f.platform.apply(BEA, { kind: 'edit', id: mars.id, baseVersion: 1, fields: { template: 'Theirs.' } });
    await f.platform.apply(BEA, { kind: 'edit', id: hello.id, baseVersion: 1, fields: { template: 'Theirs too.' } });
    await f.setOnline(true);

    const [first, second] = (await f.ws.workspace('starter')).unsent!;
    await f.ws.resolve('starter', first!.opId, 'theirs');
    await f.ws.resolve('starter', second!.opId, 'merge', { pattern: 'HELLO', that: '*', topic: '*', template: 'Theirs too, and mine.' });
    const byPattern = Object.fromEntries(f.platform.all().map((c) => [c.pattern, c.template]));
    expect(byPattern).toEqual({ 'DO YOU SHIP TO MARS': 'Theirs.', HELLO: 'Theirs too, and mine.' });
    expect((await f.ws.workspace('starter')).unsent).toEqual([]);
  });
});

describe('history and undo per entry', () => {
  it('shows who changed a category, when, before and after; undo puts it back', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.update('starter', mars.id, { pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Every Friday.' });
    const { entries } = await f.ws.history('starter', mars.id);
    expect(entries.map((e) => [e.kind, e.designer, e.before?.template ?? null, e.after?.template ?? null])).toEqual([
      ['edit', 'Ada', 'Every Tuesday.', 'Every Friday.'],
      ['capture', 'Ada', null, 'Every Tuesday.'],
    ]);

    expect(await f.ws.undoEntry('starter', entries[0]!.opId, entries[0]!.after!.version)).toMatchObject({ outcome: 'applied' });
    const view = await f.ws.workspace('starter');
    expect(view.categories[0]!.template).toBe('Every Tuesday.');
  });

  it('undoing a change that another designer changed since is a conflict, not a loss', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.update('starter', mars.id, { pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Every Friday.' });
    const [mine] = (await f.ws.history('starter', mars.id)).entries;
    await f.platform.apply(BEA, { kind: 'edit', id: mars.id, baseVersion: 2, fields: { template: 'Bea says Mondays.' } });

    expect(await f.ws.undoEntry('starter', mine!.opId, mine!.after!.version)).toMatchObject({ outcome: 'conflict' });
    expect(f.platform.all()[0]!.template).toBe('Bea says Mondays.');
    const view = await f.ws.workspace('starter');
    expect(view.unsent![0]!.conflict).toMatchObject({ theirs: { template: 'Bea says Mondays.', by: 'Bea' }, yours: { template: 'Every Tuesday.' } });
  });

  it('says plainly that the history needs the Platform while offline', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.workspace('starter');
    await f.setOnline(false);
    await expect(f.ws.history('starter', mars.id)).rejects.toThrow(/kept on the Platform/);
  });
});

describe('context, captured inputs, drafts and the unanswered queue', () => {
  it('switches a category to "only after" what the bot said before its input, and back to any context', async () => {
    const c = f.conversation('c-tea');
    c.add('bot', 'Would you like tea?');
    c.add('user', 'yes');
    const yes = await c.reply('Tea it is.');
    expect(await f.ws.contextOf('starter', yes.id)).toEqual({ that: 'WOULD YOU LIKE TEA' });
    await f.ws.setContext('starter', yes.id, { kind: 'after', that: 'WOULD YOU LIKE TEA' });
    expect(f.platform.all()[0]!.that).toBe('WOULD YOU LIKE TEA');
    expect((await f.ws.preview('starter', 'yes')).sentences[0]!.learned).toBe(false);
    expect((await f.ws.preview('starter', 'yes', 'Would you like tea?')).text).toBe('Tea it is.');
    await f.ws.setContext('starter', yes.id, { kind: 'any' });
    expect((await f.ws.preview('starter', 'yes')).text).toBe('Tea it is.');
  });

  it('makes another input of the reply the pattern, normalised as the bot does', async () => {
    const source = { conversationId: 'c-lyon', inputSeq: 1, replySeq: 2, input: 'I live in Lyon.', clientName: 'Rusty Sprocket', candidates: [{ inputSeq: 1, input: 'Do you deliver?' }] };
    const lyon = await f.platform.capture({ id: 'd1', name: 'Ada' }, { pattern: 'I LIVE IN LYON', template: 'Yes, everywhere in France.' }, source);
    const view = await f.ws.workspace('starter');
    expect(view.categories[0]!.candidates).toEqual([{ inputSeq: 1, input: 'Do you deliver?' }]);
    expect(await f.ws.useInput('starter', lyon.id, 'Do you deliver?')).toMatchObject({ outcome: 'applied' });
    expect(f.platform.all()[0]).toMatchObject({ pattern: 'DO YOU DELIVER', template: 'Yes, everywhere in France.' });
    await expect(f.ws.useInput('starter', lyon.id, 'Something else')).rejects.toThrow(/not one this category could have been learned from/);
  });

  it('shows drafts as drafts, approves them, and previews them only when asked', async () => {
    f.platform.reviewFirst = true;
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    const view = await f.ws.workspace('starter');
    expect(view.categories[0]).toMatchObject({ pattern: 'DO YOU SHIP TO MARS', status: 'draft' });
    expect((await f.ws.preview('starter', 'Do you ship to Mars?')).sentences[0]!.learned).toBe(false);
    expect((await f.ws.preview('starter', 'Do you ship to Mars?', undefined, true)).text).toBe('Every Tuesday.');
    // The exported file is what the bot uses: no drafts.
    expect((await f.ws.exportFile('starter')).text).not.toContain('MARS');

    await f.ws.approve('starter', [mars.id]);
    expect(f.platform.all()[0]!.status).toBe('approved');
    expect((await f.ws.preview('starter', 'Do you ship to Mars?')).text).toBe('Every Tuesday.');
    expect((await f.ws.exportFile('starter')).text).toContain('DO YOU SHIP TO MARS');
  });

  it('answers an unanswered group once (also to users still online) and ignores another', async () => {
    f.platform.groups.push(
      { bot: 'starter', groupKey: 'WHAT ARE YOUR OPENING HOURS', example: 'What are your opening hours?', count: 2, firstSeen: 1, lastSeen: 2, conversations: ['c1', 'c2'], ignored: false },
      { bot: 'starter', groupKey: 'ASDF', example: 'asdf', count: 1, firstSeen: 1, lastSeen: 1, conversations: ['c3'], ignored: false },
    );
    expect((await f.ws.unansweredGroups('starter')).groups.map((g) => g.count)).toEqual([2, 1]);
    const answered = await f.ws.answerUnanswered('starter', 'WHAT ARE YOUR OPENING HOURS', 'Nine to five & weekends.', true);
    expect(answered.sentTo).toEqual(['c1', 'c2']);
    expect(f.platform.all()[0]!.template).toBe('Nine to five &amp; weekends.');
    expect((await f.ws.workspace('starter')).categories.map((c) => c.pattern)).toEqual(['WHAT ARE YOUR OPENING HOURS']);
    await f.ws.ignoreUnanswered('starter', 'ASDF', true);
    expect((await f.ws.unansweredGroups('starter')).groups).toEqual([]);
  });
});

describe('the mirror against events that cross', () => {
  it('never lets a late event revive a removed category, and takes it back when an undo restores it', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.remove('starter', [mars.id]);
    expect(await patterns()).toEqual([]);
    // A late echo of the capture (version 1) arrives after the removal.
    await f.ws.learnedChanged({ type: 'learned.changed', bot: 'starter', by: { id: 'd1', name: 'Ada' }, at: 1, change: { opId: 'late', kind: 'capture', categories: [mars], removed: [] } });
    expect(await patterns()).toEqual([]);

    const [removal] = (await f.ws.history('starter', mars.id)).entries;
    expect(removal!.kind).toBe('delete');
    await f.ws.undoEntry('starter', removal!.opId, 0);
    expect(await patterns()).toEqual(['DO YOU SHIP TO MARS']);
  });
});

describe('the mirror written a change at a time', () => {
  it('leaves the mirror file, pand_livetraining.aiml and the sources file byte for byte as full rewrites would', async () => {
    const made = [];
    for (let i = 0; i < 30; i++) made.push(await asked(`Question number ${i} please?`, `Answer ${i} & more.`, i % 2 ? BEA : undefined));
    await f.ws.workspace('starter');
    await f.platform.apply(BEA, { kind: 'edit', id: made[3]!.id, baseVersion: 1, fields: { template: 'Edited by Bea.' } });
    await f.platform.apply(BEA, { kind: 'delete', id: made[7]!.id, baseVersion: 1 });
    await f.platform.apply(BEA, { kind: 'broaden', id: made[9]!.id, baseVersion: 1, pattern: 'QUESTION NUMBER 9 *' });
    await asked('One more?', 'Yes.');
    await f.ws.workspace('starter');

    const files = f.files();
    const mirror = JSON.parse(readFileSync(files.mirrorFile, 'utf8')) as { categories: { id: string }[] };
    expect(readFileSync(files.mirrorFile, 'utf8')).toBe(JSON.stringify(mirror) + '\n');
    expect(mirror.categories.map((c) => c.id).sort()).toEqual(f.platform.all().map((c) => c.id).sort());

    const view = await f.ws.workspace('starter');
    const approved = view.categories.filter((c) => c.status === 'approved');
    const aimlText = readFileSync(files.aimlFile, 'utf8');
    const writtenAt = new Date(/written (\S+) -->/.exec(aimlText)![1]!);
    expect(aimlText).toBe(liveTrainingFileText(approved.map(({ pattern, that, topic, template }) => ({ pattern, that, topic, template })), 'starter', writtenAt));
    expect(aimlText).toContain('Edited by Bea.');
    expect(aimlText).not.toContain('Answer 7 &amp;');
    expect(aimlText).toContain('QUESTION NUMBER 9 *');

    const sources = readFileSync(files.sourcesFile, 'utf8');
    expect(sources).toBe(JSON.stringify(JSON.parse(sources), null, 1) + '\n');
    expect(Object.keys((JSON.parse(sources) as { categories: object }).categories)).toHaveLength(approved.length);
  });
});
