import { describe, expect, it } from 'vitest';
import { compileBot, DEFAULT_NO_MATCH_RESPONSE } from '../../../aiml/index.js';
import { aiml, cat } from './support.js';

describe('diagnostics for broken AIML', () => {
  it('lists every XML error of a broken file with line and column, and loads the other files', () => {
    const broken = '<aiml>\n<category><pattern>A & B</pattern><template>x</template></category>\n<category><pattern>C</pattern><template>y</templat></category>\n<category><pattern>D</pattern><template>z</template></category>\n</aiml>';
    const { bot, diagnostics } = compileBot({ 'aiml/broken.aiml': broken, 'aiml/good.aiml': aiml(cat('HELLO', 'hi')) });
    expect(diagnostics.filter((d) => d.file === 'aiml/broken.aiml').map((d) => `${d.line}:${d.column} ${d.severity}`)).toEqual(['2:22 error', '3:42 error', '3:31 error', '0:0 error']);
    expect(diagnostics.at(-1)!.message).toBe('the file is not well-formed XML and was not loaded');
    const s = bot.createSession('c');
    expect(bot.respond(s, 'hello').text).toBe('hi');
    // Nothing of the broken file was loaded, not even the categories before the first error.
    expect(bot.respond(s, 'd').text).toBe(DEFAULT_NO_MATCH_RESPONSE);
    expect(bot.categoryCount).toBe(1);
  });

  it('skips only the broken category of a well-formed file', () => {
    const file = aiml(`${cat('A', 'a')}\n<category><template>no pattern</template></category>\n<category><pattern>B <get name="x"/></pattern><template>b</template></category>\n${cat('C', 'c')}`);
    const { bot, diagnostics } = compileBot({ 'aiml/f.aiml': file });
    expect(diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [4, 'error', '<category> has no <pattern>'],
      [5, 'error', '<get> is not allowed in a pattern (only words, wildcards, <set> and <bot>)'],
    ]);
    expect(bot.categoryCount).toBe(2);
  });

  it('never resolves DTDs or external entities', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE aiml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<aiml><category><pattern>X</pattern><template>&secret;</template></category></aiml>';
    const { bot, diagnostics } = compileBot({ 'aiml/x.aiml': xxe });
    expect(diagnostics.map((d) => d.message)).toEqual([
      'DOCTYPE ignored: DTDs and external entities are never loaded',
      "unknown entity '&secret;' (only &lt; &gt; &amp; &quot; &apos; and character references exist; DTD entities are never loaded)",
      'the file is not well-formed XML and was not loaded',
    ]);
    expect(bot.categoryCount).toBe(0);
  });

  it('never expands entities declared in a DTD (billion laughs), however many there are', () => {
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE aiml [<!ENTITY lol0 "lol">\n${entities}\n]>\n<aiml><category><pattern>LOL</pattern><template>&lol10;</template></category>${cat('SAFE', 'safe')}</aiml>`;
    const started = Date.now();
    const { bot, diagnostics } = compileBot({ 'aiml/bomb.aiml': bomb, 'aiml/good.aiml': aiml(cat('HELLO', 'hi')) });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(diagnostics.map((d) => [d.file, d.line, d.message])).toEqual([
      ['aiml/bomb.aiml', 2, 'DOCTYPE ignored: DTDs and external entities are never loaded'],
      ['aiml/bomb.aiml', 14, "unknown entity '&lol10;' (only &lt; &gt; &amp; &quot; &apos; and character references exist; DTD entities are never loaded)"],
      ['aiml/bomb.aiml', 0, 'the file is not well-formed XML and was not loaded'],
    ]);
    expect(bot.respond(bot.createSession('c'), 'hello').text).toBe('hi');
  });

  it('warns about a set that does not exist and about same-file duplicates, and ignores files that are not bot files', () => {
    const { diagnostics } = compileBot({
      'aiml/f.aiml': aiml(`${cat('I LIKE <set>fruit</set>', 'yum')}\n${cat('HI', 'one')}\n${cat('HI', 'two')}`),
      'README.md': '# notes',
    });
    expect(diagnostics.map((d) => [d.file, d.line, d.severity, d.message])).toEqual([
      ['README.md', 0, 'warning', 'not a bot file (expected .aiml, .set, .map, .substitution, .properties or .pdefaults); ignored'],
      ['aiml/f.aiml', 3, 'warning', "the bot has no set 'fruit' (no sets/fruit.set): patterns using it match nothing"],
      ['aiml/f.aiml', 5, 'warning', 'same pattern, that and topic as line 4: this later category wins'],
    ]);
  });

  it('reports elements nested too deeply instead of recursing without bound', () => {
    const deep = '<think>'.repeat(5000) + 'x' + '</think>'.repeat(5000);
    const { bot, diagnostics } = compileBot({ 'aiml/deep.aiml': aiml(cat('DEEP', deep) + cat('OK', 'ok')) });
    expect(diagnostics[0]).toMatchObject({ severity: 'error', message: 'elements are nested more than 200 deep' });
    expect(bot.categoryCount).toBe(0);
  });

  it('loads both categories when a </category> is missing before the next one', () => {
    const file = aiml('<category><pattern>OUTER</pattern><template>outer</template>\n<category><pattern>INNER</pattern><template>inner</template></category>\n</category>');
    const { bot, diagnostics } = compileBot({ 'aiml/f.aiml': file });
    expect(diagnostics).toEqual([expect.objectContaining({ line: 4, severity: 'warning' })]);
    const s = bot.createSession('c');
    expect(bot.respond(s, 'outer').text).toBe('outer');
    expect(bot.respond(s, 'inner').text).toBe('inner');
  });
});

describe('bad arguments', () => {
  it('reports a file whose content is neither text nor bytes and loads the rest', () => {
    const { bot, diagnostics } = compileBot({ 'aiml/a.aiml': aiml(cat('A', 'a')), 'aiml/b.aiml': null as unknown as string });
    expect(diagnostics).toEqual([{ file: 'aiml/b.aiml', line: 0, column: 0, message: 'the content must be text or bytes; file ignored', severity: 'error' }]);
    expect(bot.categoryCount).toBe(1);
  });
});

describe('hostile patterns', () => {
  it('refuses a pattern too long to match safely and loads the rest', () => {
    const { bot, diagnostics } = compileBot({ 'aiml/a.aiml': aiml(cat('# '.repeat(5000), 'x') + cat('A', 'a')) });
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: 'the pattern has 5000 words and wildcards; at most 200 are allowed' })]);
    expect(bot.respond(bot.createSession('c'), 'a').text).toBe('a');
  });
});
