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

describe('editing learned categories: operations on the Platform', () => {
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
    const id = await idOf('HELLO');
    const before = readFileSync(f.files().aimlFile, 'utf8');
    const error = await f.ws.update('starter', id, { pattern: 'HELLO', that: '*', topic: '*', template: '<think>unclosed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_category');
    expect((error as AppError).details?.diagnostics).toEqual([expect.objectContaining({ file: 'template', severity: 'error' })]);
    expect(readFileSync(f.files().aimlFile, 'utf8')).toBe(before);
    expect(f.platform.all()[0]!.version).toBe(1);
  });

  it('removes categories on the Platform, and the file follows', async () => {
    await learn('one', 'First.');
    await learn('two', 'Second.');
    expect(await f.ws.remove('starter', [await idOf('TWO')])).toEqual({ removed: 1 });
    expect(f.platform.all().map((c) => c.pattern)).toEqual(['ONE']);
    expect((await view()).categories.map((c) => c.pattern)).toEqual(['ONE']);
    expect(onDisk()).toEqual([['ONE', '*', 'First.']]);
  });
});
