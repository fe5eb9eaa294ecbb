import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { workspaceFixture, type Fixture } from './support/workspace-fixture.js';

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture();
});
afterEach(() => f.close());

async function learnedMars() {
  const c = f.conversation('c1');
  c.add('user', 'Do you ship to Mars?');
  await c.reply('Every Tuesday.');
  await f.ws.workspace('starter');
}

/** The designer's editor saves the file with one more category, or with `replace` applied. */
function editByHand(edit: (text: string) => string) {
  const file = f.files().aimlFile;
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

const addHours = (text: string) =>
  text.replace('</aiml>', '  <category>\n    <pattern>WHAT ARE YOUR OPENING HOURS</pattern>\n    <template>Nine to five.</template>\n  </category>\n</aiml>');

describe("a hand edit of the workspace's pand_livetraining.aiml", () => {
  it('is taken in as an import on the Platform, and the file stays the mirror (with it)', async () => {
    await learnedMars();
    editByHand(addHours);
    const view = await f.ws.workspace('starter');
    expect(f.platform.all().map((c) => c.pattern).sort()).toEqual(['DO YOU SHIP TO MARS', 'WHAT ARE YOUR OPENING HOURS']);
    expect(view.handEdit).toMatchObject({ added: 1, conflicts: [], errors: [] });
    expect(view.handEdit?.keptAt).toBeUndefined();
    await vi.waitFor(async () => expect(readFileSync(f.files().aimlFile, 'utf8')).toContain('<that>*</that>\n    <topic>*</topic>\n    <template>Nine to five.</template>'));
  });

  it('is seen by the folder watcher without opening Training again', async () => {
    await learnedMars();
    editByHand(addHours);
    await vi.waitFor(() => expect(f.platform.all()).toHaveLength(2), { timeout: 10_000, interval: 50 });
  });

  it('with invalid AIML: says which line, keeps the designer\'s file aside, and loses nothing learned', async () => {
    await learnedMars();
    editByHand((t) => t.replace('</aiml>', '  <category>\n    <pattern>BROKEN &</pattern>\n    <template>x</template>\n  </category>\n</aiml>'));
    const edited = readFileSync(f.files().aimlFile, 'utf8');
    const view = await f.ws.workspace('starter');
    expect(view.handEdit!.errors.length).toBeGreaterThan(0);
    expect(view.handEdit!.errors[0]!.line).toBeGreaterThan(1);
    expect(view.handEdit!.keptAt).toMatch(/pand_livetraining\.aiml\.rejected-\d+$/);
    expect(readFileSync(view.handEdit!.keptAt!, 'utf8')).toBe(edited);
    expect(f.platform.all().map((c) => c.pattern)).toEqual(['DO YOU SHIP TO MARS']);
    const now = readFileSync(f.files().aimlFile, 'utf8');
    expect(now).toContain('Every Tuesday.');
    expect(now).not.toContain('BROKEN');
    // One copy of the designer's file, not a second "broken" one.
    expect(readdirSync(dirname(f.files().aimlFile)).filter((n) => /\.(rejected|broken)-/.test(n))).toHaveLength(1);
    expect(view.brokenCopy).toBeUndefined();
  });

  it('that answers a learned pattern differently is a conflict with both answers; the present answer stays', async () => {
    await learnedMars();
    editByHand((t) => t.replace('Every Tuesday.', 'Every Sunday.'));
    const view = await f.ws.workspace('starter');
    expect(view.handEdit!.conflicts).toEqual([expect.objectContaining({ pattern: 'DO YOU SHIP TO MARS', current: 'Every Tuesday.', imported: 'Every Sunday.' })]);
    expect(existsSync(view.handEdit!.keptAt!)).toBe(true);
    expect(f.platform.all()[0]!.template).toBe('Every Tuesday.');
    expect(readdirSync(dirname(f.files().aimlFile)).filter((n) => n.includes('.rejected-'))).toHaveLength(1);
  });

  it("Studio's own writes are not hand edits", async () => {
    await learnedMars();
    const c = f.conversation('c2');
    c.add('user', 'hello');
    await c.reply('Hi!');
    const view = await f.ws.workspace('starter');
    expect(view.handEdit).toBeUndefined();
    expect(f.platform.all()).toHaveLength(2);
  });
});
