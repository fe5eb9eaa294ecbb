import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import {
  compileBot,
  escapeTemplateText,
  InvalidCategoryError,
  parseCategories,
  serializeCategories,
  ValidatedFieldCache,
  validateCategoryField,
  validatePattern,
  validateTemplate,
  type CategorySpec,
} from '../../../aiml/index.js';
import { parseXml, type XmlNode } from '../../../aiml/xml.js';

const header = { botName: 'shop', generatedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };
const errorsOf = (field: 'pattern' | 'that' | 'template', text: string) =>
  validateCategoryField(field, text)
    .filter((d) => d.severity === 'error')
    .map((d) => d.message);

/** Categories with every escaping edge case a designer's text, a hand edit or an import can bring. */
const EDGE_CASES: CategorySpec[] = [
  { pattern: 'HELLO', template: 'Hi there!' },
  { pattern: 'DO YOU SHIP TO MARS', that: 'ANYTHING ELSE', template: escapeTemplateText(`Yes & every <Tuesday>, "rain" or 'shine'`) },
  { pattern: '^ OPENING HOURS ^', topic: 'SHOP', template: '<random><li>Nine to five.</li><li>From 9 &gt; 5.</li></random>' },
  { pattern: 'WHAT IS <set>colour</set>', template: 'A colour: <star/>. Raw > and " and \' in text stay text.' },
  { pattern: 'MY NAME IS <bot name="name"/>', template: '<think><set name="who">a &amp; b</set></think>Same as me, <get name="who"/>.' },
  { pattern: 'CDATA', template: 'Code: <![CDATA[ if (a < b && c > d) { x = "]]"; } ]]> done' },
  { pattern: 'REFERENCES', template: 'caf&#233; &#x1F600; &#9; tab' },
  { pattern: 'ATTRIBUTES', template: `<button url="https://example.com/?a=1&amp;b=2" title='say "hi"' alt="it&apos;s">Open &lt;shop&gt;</button>` },
  { pattern: 'COMMENT', template: 'before <!-- a note for designers --> after' },
  { pattern: 'UNICODE', template: 'Crème brûlée ☕ 日本語 𝄞 ]]&gt;' },
  { pattern: 'LINES', template: 'line one\nline two\n\t<br/>  spaced  ' },
  { pattern: 'RICH', template: '<card><image>https://x.test/a.png</image><title>A &amp; B</title><button><text>Go</text><postback>GO</postback></button></card>' },
  { pattern: 'goodbye  now', that: '*', topic: '*', template: 'Bye.' },
];

/** The engine's old writer, node by node with xmlbuilder2: the reference our verbatim writer must agree with. */
function xmlbuilder2Reference(categories: readonly CategorySpec[]): string {
  const append = (parent: XMLBuilder, nodes: readonly XmlNode[]) => {
    for (const n of nodes) {
      if (n.type === 'text') parent.txt(n.text);
      else append(parent.ele(n.name, Object.fromEntries(n.attributes.map((a) => [a.name, a.value]))), n.children);
    }
  };
  const fragment = (name: string, text: string) => parseXml(`<${name}>${text}</${name}>`).root!.children;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const aiml = doc.ele('aiml', { version: '2.0' });
  for (const c of categories) {
    const category = aiml.ele('category');
    append(category.ele('pattern'), fragment('pattern', c.pattern));
    if (c.that !== undefined) append(category.ele('that'), fragment('that', c.that));
    if (c.topic !== undefined) append(category.ele('topic'), fragment('topic', c.topic));
    append(category.ele('template'), fragment('template', c.template));
  }
  return doc.end({ prettyPrint: false });
}

/** A category as trees of elements, attributes and decoded text: what any XML parser must read from the file. */
function meaning(xml: string) {
  const tree = (nodes: readonly XmlNode[]): unknown[] =>
    nodes.map((n) => (n.type === 'text' ? n.text : { name: n.name, attributes: n.attributes.map((a) => [a.name, a.value]), children: tree(n.children) }));
  const field = (name: string, text: string | undefined) => (text === undefined ? undefined : tree(parseXml(`<${name}>${text}</${name}>`).root!.children));
  const { categories, diagnostics } = parseCategories(xml, 'pand_livetraining.aiml');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return categories
    .map((c) => ({ pattern: field('pattern', c.pattern), that: field('that', c.that), topic: field('topic', c.topic), template: field('template', c.template) }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe('category writer', () => {
  it('escapes every XML special character of a designer reply', () => {
    expect(escapeTemplateText(`Tom & Jerry <3 "quotes" 'too'`)).toBe('Tom &amp; Jerry &lt;3 &quot;quotes&quot; &apos;too&apos;');
  });

  it('writes a valid AIML file that the engine loads and answers from', () => {
    const xml = serializeCategories(
      [
        { pattern: 'WHAT ARE YOUR OPENING HOURS', that: 'HOW CAN I HELP YOU TODAY', template: escapeTemplateText('9 to 5, Mon & Tue <only>') },
        { pattern: 'HELLO', template: 'Hi <star/>!' },
        { pattern: 'CAFÉ', template: 'Crème brûlée ☕' },
      ],
      header,
    );
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n')).toBe(true);
    expect(xml).toContain('<!-- Live Training categories for bot shop, written 2026-01-02T03:04:05.000Z -->');
    const { bot, diagnostics } = compileBot({ 'aiml/pand_livetraining.aiml': new TextEncoder().encode(xml) });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const session = bot.createSession('c');
    expect(bot.respond(session, 'What are your opening hours?', { that: 'How can I help you today?' }).text).toBe('9 to 5, Mon & Tue <only>');
    expect(bot.respond(session, 'café').text).toBe('Crème brûlée ☕');
  });

  it('reads back to the same categories as xmlbuilder2 writing them node by node, for every escaping edge case', () => {
    const ours = serializeCategories(EDGE_CASES, header);
    expect(meaning(ours)).toEqual(meaning(xmlbuilder2Reference(EDGE_CASES)));
    expect(meaning(ours)).toHaveLength(EDGE_CASES.length);
  });

  it('gives the same bytes for the same categories in any order, later duplicates winning', () => {
    const a = { pattern: 'A', template: 'first' };
    const b = { pattern: 'B', template: 'b' };
    const a2 = { pattern: 'a', template: 'second' };
    const one = serializeCategories([a, b, a2]);
    expect(serializeCategories([b, a, a2])).toBe(one);
    expect(one).toContain('<template>second</template>');
    expect(one).not.toContain('first');
    expect(one.indexOf('<pattern>a</pattern>')).toBeLessThan(one.indexOf('<pattern>B</pattern>'));
    const shuffled = [...EDGE_CASES].reverse();
    expect(serializeCategories(shuffled, header)).toBe(serializeCategories(EDGE_CASES, header));
  });

  it('orders by pattern, then that, then topic, by code point', () => {
    const xml = serializeCategories([
      { pattern: '^ HOURS ^', template: '1' },
      { pattern: 'HOURS', that: 'B', template: '2' },
      { pattern: 'HOURS', that: 'A', template: '3' },
      { pattern: 'HOURS NOW', template: '4' },
    ]);
    expect(parseCategories(xml, 'f').categories.map((c) => c.template)).toEqual(['3', '2', '4', '1']);
  });

  it('writes that and topic only when given, and no header comment without a header', () => {
    const xml = serializeCategories([{ pattern: 'HI', template: 'Hello' }]);
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n  <category>\n    <pattern>HI</pattern>\n    <template>Hello</template>\n  </category>\n</aiml>\n');
  });

  it('keeps a hostile bot name inside the header comment', () => {
    const xml = serializeCategories([{ pattern: 'HI', template: 'Hello' }], { botName: 'evil -->\u0001<aiml>' });
    expect(xml).toContain('<!-- Live Training categories for bot evil ->');
    expect(parseCategories(xml, 'f').diagnostics).toEqual([]);
  });

  it('refuses invalid categories, listing every invalid field with its position, and writes nothing', () => {
    let error: unknown;
    try {
      serializeCategories([
        { pattern: 'FINE', template: 'ok' },
        { pattern: 'BAD &', template: 'ok' },
        { pattern: 'ALSO FINE', that: 'A <b>', template: '<think>unclosed' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidCategoryError);
    const problems = (error as InvalidCategoryError).problems;
    expect(problems.map((p) => [p.index, p.pattern, p.field])).toEqual([
      [1, 'BAD &', 'pattern'],
      [2, 'ALSO FINE', 'that'],
      [2, 'ALSO FINE', 'template'],
    ]);
    expect(problems[0]!.diagnostics[0]).toMatchObject({ severity: 'error', line: 1, column: 5 });
    expect((error as Error).message).toMatch(/category 2 \("BAD &"\): pattern: '&' must be written as '&amp;'/);
    expect(() => serializeCategories([{ pattern: 'X', template: 'a <b>unclosed' }])).toThrow(/category 1 \("X"\): template/);
  });

  it('names at most twenty problems in the message and counts the rest', () => {
    const broken = Array.from({ length: 25 }, (_, i) => ({ pattern: `Q${i}`, template: '<b>' }));
    let error: InvalidCategoryError | undefined;
    try {
      serializeCategories(broken);
    } catch (e) {
      error = e as InvalidCategoryError;
    }
    expect(error!.problems).toHaveLength(25);
    expect(error!.message.split('\n')).toHaveLength(22);
    expect(error!.message).toMatch(/… and 5 more$/);
  });

  it('remembers valid fields between writes but never an invalid one', () => {
    const validated = new ValidatedFieldCache();
    const good = [{ pattern: 'HI', template: 'Hello' }];
    expect(serializeCategories(good, header, { validated })).toBe(serializeCategories(good, header));
    const bad = [...good, { pattern: 'OOPS', template: '<b>' }];
    expect(() => serializeCategories(bad, header, { validated })).toThrow(InvalidCategoryError);
    expect(() => serializeCategories(bad, header, { validated })).toThrow(/category 2 \("OOPS"\): template/);
  });

  it('forgets everything when the cache is full, and still answers right', () => {
    const validated = new ValidatedFieldCache(2);
    for (const text of ['A', 'B', 'C', 'A']) expect(validated.errors('pattern', text)).toEqual([]);
    expect(validated.errors('pattern', 'A &')).toHaveLength(1);
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
    expect(validatePattern('HELLO, THERE')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/punctuation/) });
    expect(validateTemplate('Hi <star/>, <get name="name"/>')).toEqual([]);
    expect(validateTemplate('<peron/>')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/not an AIML element/) });
    expect(validateTemplate('<think><set name="x">1</think>')[0]).toMatchObject({ severity: 'error', line: 1 });
  });

  it('cannot be tricked into closing its element and opening another', () => {
    expect(errorsOf('pattern', 'HELLO</pattern><template>x</template></category><category><pattern>Y')).not.toEqual([]);
    expect(errorsOf('template', 'x</template></category><category><pattern>Y</pattern><template>z')).not.toEqual([]);
    expect(errorsOf('template', 'x <!-- never closed')).not.toEqual([]);
    expect(errorsOf('template', 'x <![CDATA[ never closed')).not.toEqual([]);
  });

  it('refuses what an XML file cannot hold although the forgiving engine parser reads it, saying where', () => {
    expect(errorsOf('template', 'a \u0001 b')).toEqual(['contains a control character that XML does not allow (U+0001)']);
    expect(validateTemplate('line\nx \u000B y')[0]).toMatchObject({ severity: 'error', line: 2, column: 3 });
    expect(errorsOf('template', 'half an emoji \uD83D')).toEqual(['contains a broken character (half of an emoji?) that XML does not allow (U+D83D)']);
    expect(errorsOf('template', 'a &#1; b')).toEqual(['&#1; refers to a character that XML does not allow']);
    expect(errorsOf('template', 'a &#xFFFE; b')).toHaveLength(1);
    expect(errorsOf('template', '<!DOCTYPE x>hi')).toContain('a DOCTYPE cannot appear inside a category');
    expect(errorsOf('pattern', 'HI <?xml version="1.0"?>')).toContain('an XML declaration or processing instruction (<?...?>) cannot appear inside a category');
    expect(errorsOf('template', 'x ]]> y')).toEqual(["']]>' may only end a CDATA section: write ']]&gt;'"]);
    expect(errorsOf('template', 'a <!-- b -- c --> d')).toEqual(["a comment may not contain '--' or end with '-'"]);
    expect(errorsOf('template', 'a <!-- b ---> d')).toHaveLength(1);
    expect(errorsOf('template', '<1st>x</1st>')).toEqual(['<1st> is not a valid XML element name']);
    expect(errorsOf('template', '<a 9x="1">x</a>')).toEqual(["'9x' is not a valid XML attribute name"]);
    expect(errorsOf('template', '&ent;')).toHaveLength(1);
  });

  it('refuses a pattern the loader would drop for having too many words', () => {
    expect(errorsOf('pattern', Array.from({ length: 200 }, () => 'WORD').join(' '))).toEqual([]);
    expect(errorsOf('pattern', Array.from({ length: 201 }, () => 'WORD').join(' '))).toEqual(['the pattern has 201 words and wildcards; at most 200 are allowed']);
    expect(errorsOf('that', Array.from({ length: 150 }, () => 'A, B').join(' '))).toEqual(['the that has 300 words and wildcards; at most 200 are allowed']);
  });

  it('accepts what looks risky but is plain XML', () => {
    expect(errorsOf('template', '<![CDATA[ a ]]> b <!-- ]]> <?x?> <!DOCTYPE in a comment --> c')).toEqual([]);
    expect(errorsOf('template', 'é 😀 &#233; &#x1F600; a > b')).toEqual([]);
    expect(errorsOf('template', '<oob><mrk:rich xmlns:mrk="x"/></oob>')).toEqual([]);
    expect(errorsOf('that', 'HOW CAN I HELP YOU')).toEqual([]);
  });
});
