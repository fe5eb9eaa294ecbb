import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceFixture, type Fixture } from './support/workspace-fixture.js';

const ADA = 'd1';
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

const templates = async () => Object.fromEntries((await f.ws.workspace('starter')).categories.map((c) => [c.pattern, c.template]));

describe('Undo last change (Training toolbar)', () => {
  it("undoes the designer's own most recent change, not another designer's later one, then goes one further back", async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.update('starter', mars.id, { pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Every Friday.' });
    await asked('What are your opening hours?', 'Nine to five.', BEA);

    expect(await f.ws.undoLast('starter', ADA)).toEqual({ outcome: 'applied', undone: 'your edit of DO YOU SHIP TO MARS' });
    expect(await templates()).toEqual({ 'DO YOU SHIP TO MARS': 'Every Tuesday.', 'WHAT ARE YOUR OPENING HOURS': 'Nine to five.' });

    // Again: the undo itself and the change it undid are passed over; the capture before them is undone.
    expect(await f.ws.undoLast('starter', ADA)).toMatchObject({ outcome: 'applied', undone: 'your capture of DO YOU SHIP TO MARS' });
    expect(await templates()).toEqual({ 'WHAT ARE YOUR OPENING HOURS': 'Nine to five.' });

    await expect(f.ws.undoLast('starter', ADA)).rejects.toMatchObject({ code: 'not_found', message: 'You have no change on starter left to undo.' });
    expect(await templates()).toEqual({ 'WHAT ARE YOUR OPENING HOURS': 'Nine to five.' });
  });

  it('is a conflict, with both versions, when someone changed the category since; nothing is overwritten', async () => {
    const mars = await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.update('starter', mars.id, { pattern: 'DO YOU SHIP TO MARS', that: '*', topic: '*', template: 'Every Friday.' });
    await f.platform.apply(BEA, { kind: 'edit', id: mars.id, baseVersion: 2, fields: { template: 'Bea says Mondays.' } });

    expect(await f.ws.undoLast('starter', ADA)).toMatchObject({ outcome: 'conflict' });
    expect(f.platform.all()[0]!.template).toBe('Bea says Mondays.');
    const view = await f.ws.workspace('starter');
    expect(view.unsent![0]!.conflict).toMatchObject({ theirs: { template: 'Bea says Mondays.', by: 'Bea' }, yours: { template: 'Every Tuesday.' } });
  });

  it('says plainly that it needs the Platform while offline, and changes nothing', async () => {
    await asked('Do you ship to Mars?', 'Every Tuesday.');
    await f.ws.workspace('starter');
    await f.setOnline(false);
    await expect(f.ws.undoLast('starter', ADA)).rejects.toMatchObject({ code: 'offline' });
    expect(f.platform.all()).toHaveLength(1);
  });
});
