import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aiml, category, pretendPulled, workspaceFixture, type Fixture } from './support/workspace-fixture.js';

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture();
  pretendPulled(f, {
    'aiml/shop.aiml': aiml([category('OPENING HOURS', 'We open at nine.'), category('WHAT CAN YOU DO', 'I answer questions.'), category('CAN YOU *', 'Perhaps.'), category('*', 'I do not know.')].join('\n')),
  });
});
afterEach(() => f.close());

async function learn(input: string, reply: string, that?: string) {
  const c = f.conversation(`c-${input}`);
  if (that) c.add('bot', that);
  c.add('user', input);
  await c.reply(reply, that !== undefined);
  return (await f.ws.workspace('starter')).categories.find((x) => x.source?.input === input)!;
}

describe('suggestions to broaden a learned category', () => {
  it('keeps the core words and lets wildcards take the words around them, and shows what it answers', async () => {
    const c = await learn('Do you ship to Mars?', 'Every Tuesday.');
    const { patterns } = await f.ws.suggest('starter', c.id);
    expect(patterns[0]).toEqual({
      pattern: '^ SHIP TO MARS ^',
      why: expect.stringContaining('SHIP TO MARS') as unknown,
      examples: ['DO YOU SHIP TO MARS', 'CAN YOU SHIP TO MARS', 'PLEASE TELL ME SHIP TO MARS'],
    });
    expect(patterns.map((p) => p.pattern)).toContain('^ SHIP ^ MARS ^');
  });

  it('suggests dropping the <that> condition of a category learned in context', async () => {
    const c = await learn('yes please', 'Tea is coming.', 'Would you like tea?');
    expect(c.that).toBe('WOULD YOU LIKE TEA');
    const { patterns } = await f.ws.suggest('starter', c.id);
    expect(patterns).toContainEqual(expect.objectContaining({ that: '*' }));
  });

  it('offers an <srai> to an existing category that shares its core words, checked to reach it', async () => {
    const c = await learn('What are your hours?', 'Nine to five.');
    const { srai } = await f.ws.suggest('starter', c.id);
    expect(srai[0]).toMatchObject({ template: '<srai>OPENING HOURS</srai>', target: { pattern: 'OPENING HOURS', file: 'shop.aiml', answer: 'We open at nine.' } });
  });

  it('never offers an srai to the input itself (it would loop)', async () => {
    const c = await learn('what can you do', 'Lots.');
    const { srai } = await f.ws.suggest('starter', c.id);
    expect(srai.map((x) => x.template)).not.toContain('<srai>WHAT CAN YOU DO</srai>');
  });

  it('suggests nothing it cannot check: no core words, no broadening', async () => {
    const c = await learn('Are you?', 'I am.');
    expect((await f.ws.suggest('starter', c.id)).patterns).toEqual([]);
  });
});
