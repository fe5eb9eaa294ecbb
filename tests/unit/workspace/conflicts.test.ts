import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainingCategory } from '../../../protocol/training.js';
import { aiml, category, pretendPulled, workspaceFixture, type Fixture } from './support/workspace-fixture.js';

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture();
  pretendPulled(f, {
    'aiml/shop.aiml': aiml(
      [
        category('HELLO', 'Hi there.'),
        category('HELLO *', 'Hi again.'),
        category('OPENING HOURS', 'We open at nine.'),
        category('WHAT IS THE PRICE', 'Ten euros.'),
        category('_ MARS', 'Mars? Far away.'),
        category('*', 'I do not know.'),
      ].join('\n'),
    ),
  });
});
afterEach(() => f.close());

async function learn(input: string, reply: string) {
  const c = f.conversation(`c-${input}`);
  c.add('user', input);
  await c.reply(reply);
}

async function findingsOf(pattern: string): Promise<TrainingCategory['findings']> {
  const view = await f.ws.workspace('starter');
  expect(view.analysed).toBe(true);
  return view.categories.find((c) => c.pattern === pattern)!.findings;
}
const kinds = async (pattern: string) => (await findingsOf(pattern)).map((x) => x.kind);

describe("conflicts and duplicates with the bot's other files", () => {
  it('finds a duplicate: same pattern, that, topic and answer as a category of the bot', async () => {
    await learn('hello', 'Hi there.');
    const [finding] = await findingsOf('HELLO');
    expect(finding).toMatchObject({ kind: 'duplicate', other: { pattern: 'HELLO', file: 'shop.aiml', line: 3, answer: 'Hi there.' } });
  });

  it('finds a category the learned one overrides (same key, another answer)', async () => {
    await learn('opening hours?', 'Ten to six.');
    expect(await findingsOf('OPENING HOURS')).toEqual([expect.objectContaining({ kind: 'overrides', other: expect.objectContaining({ answer: 'We open at nine.' }) as unknown })]);
  });

  it('finds a learned category that never answers its own input, and names the one that does', async () => {
    await learn('Do you ship to Mars?', 'Every Tuesday.');
    const [finding] = await findingsOf('DO YOU SHIP TO MARS');
    expect(finding).toMatchObject({ kind: 'unreachable', other: { pattern: '_ MARS', file: 'shop.aiml' } });
    expect(finding!.message).toMatch(/DO YOU SHIP TO MARS/);
  });

  it('finds a learned category that takes inputs another category answered (it shadows it)', async () => {
    await learn('price', 'It depends.');
    const id = (await f.ws.workspace('starter')).categories[0]!.id;
    await f.ws.update('starter', id, { pattern: '# PRICE #', that: '*', topic: '*', template: 'It depends.' });
    const findings = await findingsOf('# PRICE #');
    expect(findings).toEqual([expect.objectContaining({ kind: 'shadows', other: expect.objectContaining({ pattern: 'WHAT IS THE PRICE' }) as unknown })]);
  });

  it('notes when the input already matched a non-default category before it was learned', async () => {
    await learn('hello there', 'Good to see you.');
    expect(await findingsOf('HELLO THERE')).toEqual([expect.objectContaining({ kind: 'matchedBefore', other: expect.objectContaining({ pattern: 'HELLO *' }) as unknown })]);
  });

  it('finds nothing for a new answer to a question the bot did not know', async () => {
    await learn('Do you sell gift cards?', 'Yes, at the till.');
    expect(await kinds('DO YOU SELL GIFT CARDS')).toEqual([]);
  });

  it('says the checks did not run while the bot files are unknown', async () => {
    f.close();
    f = workspaceFixture();
    await learn('hello', 'Hi there.');
    const view = await f.ws.workspace('starter');
    expect(view.analysed).toBe(false);
    expect(view.botFiles.state).toBe('none');
  });
});
