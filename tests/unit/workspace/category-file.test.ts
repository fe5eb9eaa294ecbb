import { describe, expect, it } from 'vitest';
import { compileBot, parseCategories, serializeCategories } from '../../../aiml/index.js';
import { fieldProblems, InvalidCategoryError, writeCategoryFile, type CategoryParts } from '../../../main/workspace/category-file.js';

const header = { botName: 'starter', writtenAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };
const categories: CategoryParts[] = [
  { pattern: 'HELLO', that: '*', topic: '*', template: 'Hi there!' },
  { pattern: 'DO YOU SHIP TO MARS', that: 'ANYTHING ELSE', topic: '*', template: 'Yes &amp; every &lt;Tuesday&gt;, "rain" or not' },
  { pattern: '^ OPENING HOURS ^', that: '*', topic: 'SHOP', template: '<random><li>Nine to five.</li><li>From 9.</li></random>' },
  { pattern: 'WHAT IS <set>colour</set>', that: '*', topic: '*', template: 'A colour: <star/>.' },
];

const read = (xml: string) => parseCategories(xml, 'pand_livetraining.aiml');
const parts = (xml: string) => read(xml).categories.map(({ pattern, that, topic, template }) => ({ pattern, that, topic, template }));

describe('writing pand_livetraining.aiml', () => {
  it('writes a file the engine reads back to the same categories, as the engine writer would', () => {
    const xml = writeCategoryFile(categories, header);
    expect(read(xml).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const engine = serializeCategories(categories, header);
    const byPattern = (a: { pattern: string }, b: { pattern: string }) => (a.pattern < b.pattern ? -1 : 1);
    expect(parts(xml).sort(byPattern)).toEqual(parts(engine).sort(byPattern));
  });

  it('is valid AIML 2.0 in UTF-8 that a bot answers with', () => {
    const xml = writeCategoryFile([...categories, { pattern: 'CAFÉ', that: '*', topic: '*', template: 'Crème brûlée ☕' }], header);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">')).toBe(true);
    const { bot, diagnostics } = compileBot({ 'aiml/pand_livetraining.aiml': new TextEncoder().encode(xml), 'sets/colour.set': '["RED"]' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const session = bot.createSession('t');
    expect(bot.respond(session, 'do you ship to mars', { that: 'Anything else?' }).text).toBe('Yes & every <Tuesday>, "rain" or not');
    expect(bot.respond(session, 'café').text).toBe('Crème brûlée ☕');
  });

  it('names the bot and the time in a header comment', () => {
    expect(writeCategoryFile(categories, header)).toContain('<!-- Live Training categories for bot starter, written 2026-01-02T03:04:05.000Z -->');
  });

  it('writes the same bytes for the same categories in any order', () => {
    const shuffled = [categories[2]!, categories[0]!, categories[3]!, categories[1]!];
    expect(writeCategoryFile(shuffled, header)).toBe(writeCategoryFile(categories, header));
    const patterns = parts(writeCategoryFile(shuffled, header)).map((c) => c.pattern);
    // By code point, as the engine writer orders them: '^' comes after the letters.
    expect(patterns).toEqual(['DO YOU SHIP TO MARS', 'HELLO', 'WHAT IS <set>colour</set>', '^ OPENING HOURS ^']);
  });

  it('keeps the later of two categories with the same pattern, that and topic, as loading would', () => {
    const xml = writeCategoryFile([categories[0]!, { pattern: 'hello', that: '*', topic: '*', template: 'Hello again.' }], header);
    expect(parts(xml)).toEqual([{ pattern: 'hello', that: '*', topic: '*', template: 'Hello again.' }]);
  });

  it('refuses to write invalid categories and names every problem', () => {
    let error: unknown;
    try {
      writeCategoryFile([categories[0]!, { pattern: 'BAD &', that: '*', topic: '*', template: 'ok' }, { pattern: 'FINE', that: '*', topic: '*', template: '<think>unclosed' }], header);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidCategoryError);
    const problems = (error as InvalidCategoryError).problems;
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'pattern'],
      [2, 'template'],
    ]);
    expect((error as Error).message).toMatch(/BAD &/);
  });

  it('refuses what XML files cannot hold, which a fragment check lets through', () => {
    const errors = (field: 'pattern' | 'template', text: string) => fieldProblems(field, text).filter((d) => d.severity === 'error').map((d) => d.message);
    expect(errors('template', 'a \u0001 b')).toEqual(['contains a control character that XML does not allow']);
    expect(errors('template', '<!DOCTYPE x>hi')).toContain('a DOCTYPE cannot appear inside a category');
    expect(errors('template', 'x ]]> y')).toHaveLength(1);
    expect(errors('template', '<![CDATA[ a ]]> b')).toEqual([]);
    expect(errors('template', '&ent;')).toHaveLength(1);
    expect(errors('pattern', 'HELLO </pattern><template>x</template></category><category><pattern>Y')).not.toEqual([]);
  });
});
