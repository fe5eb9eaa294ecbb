import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileBot, parseCategories } from '../../../aiml/index.js';
import { AppError } from '../../../protocol/errors.js';
import { workspaceFixture, type Fixture } from './support/workspace-fixture.js';

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture();
});
afterEach(() => f.close());

async function learn(input: string, reply: string, id = `c-${input}`) {
  const c = f.conversation(id);
  c.add('user', input);
  await c.reply(reply);
}
const view = () => f.ws.workspace('starter');
const idOf = async (pattern: string) => (await view()).categories.find((c) => c.pattern === pattern)!.id;

/** The file on disk is valid AIML the engine loads without a single error. */
function fileIsValid(): string[] {
  const xml = readFileSync(f.files().aimlFile, 'utf8');
  const { diagnostics } = compileBot({ 'aiml/pand_livetraining.aiml': xml });
  return diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}
const onDisk = () => parseCategories(readFileSync(f.files().aimlFile, 'utf8'), 'x').categories.map((c) => [c.pattern, c.that, c.template]);

describe('live validation by the AIML engine', () => {
  it('accepts good fields and explains bad ones with where they are', () => {
    expect(f.ws.validate('pattern', '^ SHIP TO MARS ^').diagnostics).toEqual([]);
    expect(f.ws.validate('template', 'Yes, <star/>!').diagnostics).toEqual([]);
    const pattern = f.ws.validate('pattern', 'SHIP & MARS').diagnostics;
    expect(pattern).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/&amp;/) as unknown })]);
    const template = f.ws.validate('template', 'Hello <b>there').diagnostics;
    expect(template[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(f.ws.validate('pattern', '').diagnostics[0]!.message).toMatch(/empty/);
    expect(f.ws.validate('template', 'Hi <buton>x</buton>').diagnostics[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/not an AIML element/) as unknown });
  });
});

describe('editing learned categories', () => {
  it('broadens a pattern: the file stays valid, the edit is marked reviewed and keeps its source', async () => {
    await learn('Do you ship to Mars?', 'Every Tuesday.');
    const id = await idOf('DO YOU SHIP TO MARS');
    const { id: newId } = await f.ws.update('starter', id, { pattern: '^ ship to mars ^', that: '*', topic: '*', template: 'Every Tuesday, <b>rain or shine</b>.' });
    expect(fileIsValid()).toEqual([]);
    const edited = (await view()).categories.find((c) => c.id === newId)!;
    expect(edited).toMatchObject({ pattern: '^ SHIP TO MARS ^', state: 'reviewed', source: { input: 'Do you ship to Mars?' } });
    expect(onDisk()).toEqual([['^ SHIP TO MARS ^', '*', 'Every Tuesday, <b>rain or shine</b>.']]);
  });

  it('refuses an invalid edit with the diagnostics and leaves the file as it was', async () => {
    await learn('hello', 'Hi!');
    const before = readFileSync(f.files().aimlFile, 'utf8');
    const id = await idOf('HELLO');
    const error = await f.ws.update('starter', id, { pattern: 'HELLO', that: '*', topic: '*', template: '<think>unclosed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_category');
    expect((error as AppError).details?.diagnostics).toEqual([expect.objectContaining({ file: 'template', severity: 'error' })]);
    expect(readFileSync(f.files().aimlFile, 'utf8')).toBe(before);
  });

  it('refuses an edit that would collide with another category', async () => {
    await learn('hello', 'Hi!');
    await learn('hi', 'Hello!');
    const error = await f.ws.update('starter', await idOf('HI'), { pattern: 'hello', that: '*', topic: '*', template: 'x' }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('duplicate_category');
    expect(onDisk()).toHaveLength(2);
  });

  it('marks categories reviewed and removes them', async () => {
    await learn('one', 'First.');
    await learn('two', 'Second.');
    await f.ws.review('starter', [await idOf('ONE')], true);
    expect((await view()).categories.map((c) => [c.pattern, c.state]).sort()).toEqual([
      ['ONE', 'reviewed'],
      ['TWO', 'new'],
    ]);
    expect(await f.ws.remove('starter', [await idOf('TWO')])).toEqual({ removed: 1 });
    expect(onDisk()).toEqual([['ONE', '*', 'First.']]);
    expect(fileIsValid()).toEqual([]);
  });
});

describe('undo', () => {
  it('undoes every edit and removal, latest first, and says what it undid', async () => {
    await learn('do you ship to mars', 'Yes.');
    await learn('opening hours', 'Nine to five.');
    await f.ws.update('starter', await idOf('DO YOU SHIP TO MARS'), { pattern: '^ MARS ^', that: '*', topic: '*', template: 'Yes, weekly.' });
    await f.ws.remove('starter', [await idOf('OPENING HOURS')]);
    expect((await view()).undo).toEqual(['Removal of OPENING HOURS', 'Edit of ^ MARS ^']);

    expect(await f.ws.undo('starter')).toEqual({ undone: 'Removal of OPENING HOURS' });
    expect(onDisk().map((c) => c[0]).sort()).toEqual(['OPENING HOURS', '^ MARS ^']);
    expect(await f.ws.undo('starter')).toEqual({ undone: 'Edit of ^ MARS ^' });
    expect(onDisk().sort()).toEqual([
      ['DO YOU SHIP TO MARS', '*', 'Yes.'],
      ['OPENING HOURS', '*', 'Nine to five.'],
    ]);
    expect(fileIsValid()).toEqual([]);
    expect(await f.ws.undo('starter')).toEqual({});
  });

  it('keeps what was captured after the edit it undoes', async () => {
    await learn('hello', 'Hi!');
    await f.ws.remove('starter', [await idOf('HELLO')]);
    await learn('goodbye', 'Bye!');
    await f.ws.undo('starter');
    expect(onDisk().map((c) => c[0]).sort()).toEqual(['GOODBYE', 'HELLO']);
  });

  it('restores a review mark, source and all', async () => {
    await learn('hello', 'Hi!');
    const id = await idOf('HELLO');
    await f.ws.review('starter', [id], true);
    await f.ws.undo('starter');
    expect((await view()).categories[0]).toMatchObject({ state: 'new', source: { conversationId: 'c-hello' } });
  });
});
