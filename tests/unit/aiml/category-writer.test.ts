import { describe, expect, it } from 'vitest';
import { compileBot, escapeTemplateText, parseCategories, serializeCategories, validatePattern, validateTemplate } from '../../../aiml/index.js';

describe('category writer', () => {
  it('escapes every XML special character of a designer reply', () => {
    expect(escapeTemplateText(`Tom & Jerry <3 "quotes" 'too'`)).toBe('Tom &amp; Jerry &lt;3 &quot;quotes&quot; &apos;too&apos;');
  });

  it('writes a valid AIML file that the engine loads and answers from', () => {
    const xml = serializeCategories(
      [
        { pattern: 'WHAT ARE YOUR OPENING HOURS', that: 'HOW CAN I HELP YOU TODAY', template: escapeTemplateText('9 to 5, Mon & Tue <only>') },
        { pattern: 'HELLO', template: 'Hi <star/>!' },
      ],
      { botName: 'shop', generatedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) },
    );
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">')).toBe(true);
    expect(xml).toContain('<!-- Live Training categories, for bot shop, written 2026-01-02T03:04:05.000Z -->');
    const { bot, diagnostics } = compileBot({ 'aiml/pand_livetraining.aiml': xml });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const session = bot.createSession('c');
    expect(bot.respond(session, 'What are your opening hours?', { that: 'How can I help you today?' }).text).toBe('9 to 5, Mon & Tue <only>');
  });

  it('gives the same bytes for the same categories in any order, later duplicates winning', () => {
    const a = { pattern: 'A', template: 'first' };
    const b = { pattern: 'B', template: 'b' };
    const a2 = { pattern: 'a', template: 'second' };
    const one = serializeCategories([a, b, a2]);
    const two = serializeCategories([b, a, a2]);
    expect(one).toBe(two);
    expect(one).toContain('<template>second</template>');
    expect(one).not.toContain('first');
    expect(one.indexOf('<pattern>a</pattern>')).toBeLessThan(one.indexOf('<pattern>B</pattern>'));
  });

  it('refuses to write a broken template and names the category', () => {
    expect(() => serializeCategories([{ pattern: 'X', template: 'a <b>unclosed' }])).toThrow(/category 1 \("X"\): template/);
  });

  it('parses categories back with their lines and sources', () => {
    const xml = serializeCategories([
      { pattern: 'HELLO', template: 'Hi' },
      { pattern: 'BYE <set>name</set>', that: 'SEE YOU', template: 'Bye <star/>' },
    ]);
    const { categories, diagnostics } = parseCategories(xml, 'pand_livetraining.aiml');
    expect(diagnostics).toEqual([]);
    expect(categories).toEqual([
      { pattern: 'BYE <set>name</set>', that: 'SEE YOU', template: 'Bye <star/>', line: 3 },
      { pattern: 'HELLO', template: 'Hi', line: 8 },
    ]);
  });

  it('reports every problem of a broken file with line and column, never resolving entities', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE aiml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<aiml>\n<category><pattern>A</pattern><template>&x;</template></category>\n<category><pattern>B</pattern><template>b</templat></category>\n</aiml>';
    const { categories, diagnostics } = parseCategories(xml, 'f.aiml');
    expect(categories).toEqual([]);
    expect(diagnostics.map((d) => [d.line, d.severity])).toEqual([
      [2, 'warning'],
      [4, 'error'],
      [5, 'error'],
      [5, 'error'],
    ]);
    expect(diagnostics[1]!.message).toMatch(/unknown entity '&x;'/);
  });

  it('validates patterns and templates live', () => {
    expect(validatePattern('HELLO * THERE')).toEqual([]);
    expect(validatePattern('')[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/empty/) });
    expect(validatePattern('A & B')[0]).toMatchObject({ severity: 'error', column: 3 });
    expect(validatePattern('HELLO <get name="x"/>')[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/<get> is not allowed/) });
    expect(validateTemplate('Hi <star/>, <get name="name"/>')).toEqual([]);
    expect(validateTemplate('<peron/>')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/not an AIML element/) });
    expect(validateTemplate('<think><set name="x">1</think>')[0]).toMatchObject({ severity: 'error', line: 1 });
  });
});
