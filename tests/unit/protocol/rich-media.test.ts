import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileBot } from '../../../aiml/index.js';
import { MAX_DELAY_SECONDS, readRichReply, readRichReplyForChannel, RichPart } from '../../../protocol/rich-media.js';

// The one reader of a bot reply's rich media: the Platform sends its parts to the end user's channel, Studio draws
// its transcript and list preview from them (tests/unit/server/rich-media.test.ts, tests/unit/renderer/rich-reply.test.tsx).

/** What the engine really gives for a template (rich media passes through as XML, entities decoded). */
function engineReply(template: string): string {
  const aiml = `<?xml version="1.0" encoding="UTF-8"?><aiml version="2.0"><category><pattern>GO</pattern><template>${template}</template></category></aiml>`;
  const { bot, diagnostics } = compileBot({ 'aiml/rich.aiml': aiml });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return bot.respond(bot.createSession('t'), 'go').text;
}

/** Studio's reading and the channel's, checked against the wire contract; they differ only by device commands. */
function parts(reply: string): RichPart[] | undefined {
  const out = readRichReply(reply);
  if (out) z.array(RichPart).parse(out);
  if (!reply.includes('<oob')) expect(readRichReplyForChannel(reply)).toEqual(out);
  return out;
}

describe('reading the rich media of a bot reply', () => {
  it('leaves plain replies alone, including text that merely contains < or &, and other angle brackets', () => {
    expect(parts('Hello there')).toBeUndefined();
    expect(parts(engineReply('Tom &amp; Jerry &lt;3 x &lt; y'))).toBeUndefined();
    expect(parts('I <3 robots and am <glad> you asked')).toBeUndefined();
    expect(parts('Tom & Jerry <3 <button>Yes</button>')).toEqual([
      { kind: 'text', text: 'Tom & Jerry <3' },
      { kind: 'buttons', buttons: [{ text: 'Yes', postback: 'Yes' }] },
    ]);
  });

  it('buttons: text with postback, bare text as both, an empty postback as the text, url buttons; consecutive ones grouped', () => {
    const reply = engineReply(
      'Pick one:\n<button><text>Yes please</text><postback>SAY YES</postback></button>\n<button>No</button><button><text>Maybe</text><postback></postback></button><button><text>Docs</text><url>https://example.org/docs</url></button>',
    );
    expect(parts(reply)).toEqual([
      { kind: 'text', text: 'Pick one:' },
      {
        kind: 'buttons',
        buttons: [
          { text: 'Yes please', postback: 'SAY YES' },
          { text: 'No', postback: 'No' },
          { text: 'Maybe', postback: 'Maybe' },
          { text: 'Docs', url: 'https://example.org/docs' },
        ],
      },
    ]);
  });

  it('buttons and quick replies are separate groups, with the text around them', () => {
    expect(parts('Pick one: <button>Yes</button> <reply><text>Maybe</text><postback>MAYBE</postback></reply>')).toEqual([
      { kind: 'text', text: 'Pick one:' },
      { kind: 'buttons', buttons: [{ text: 'Yes', postback: 'Yes' }] },
      { kind: 'replies', replies: [{ text: 'Maybe', postback: 'MAYBE' }] },
    ]);
  });

  it('quick replies, split and delay keep their order', () => {
    const reply = engineReply('First bubble.<split/>Second, after a pause.<delay>2</delay>Third.<reply><text>Red</text><postback>COLOUR RED</postback></reply><reply>Blue</reply>');
    expect(parts(reply)).toEqual([
      { kind: 'text', text: 'First bubble.' },
      { kind: 'split' },
      { kind: 'text', text: 'Second, after a pause.' },
      { kind: 'delay', seconds: 2 },
      { kind: 'text', text: 'Third.' },
      { kind: 'replies', replies: [{ text: 'Red', postback: 'COLOUR RED' }, { text: 'Blue', postback: 'Blue' }] },
    ]);
  });

  it('cards and carousels with image, title, subtitle and buttons; links, images and videos inline', () => {
    const reply = engineReply(
      '<carousel><card><image>https://example.org/a.png</image><title>Tea &amp; cake</title><subtitle>Fresh</subtitle><button><text>Order</text><postback>ORDER TEA</postback></button></card><card><title>Coffee</title></card></carousel>' +
        'See <link><text>our site</text><url>https://example.org/?a=1&amp;b=2</url></link> or <link>http://example.org/plain</link>.<image>https://example.org/i.png</image><video>https://example.org/v.mp4</video><card><title>Solo</title></card>',
    );
    expect(parts(reply)).toEqual([
      {
        kind: 'carousel',
        cards: [
          { image: 'https://example.org/a.png', title: 'Tea & cake', subtitle: 'Fresh', buttons: [{ text: 'Order', postback: 'ORDER TEA' }] },
          { title: 'Coffee', subtitle: '', buttons: [] },
        ],
      },
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'our site', url: 'https://example.org/?a=1&b=2' },
      { kind: 'text', text: ' or ' },
      { kind: 'link', text: 'http://example.org/plain', url: 'http://example.org/plain' },
      { kind: 'text', text: '.' },
      { kind: 'image', url: 'https://example.org/i.png' },
      { kind: 'video', url: 'https://example.org/v.mp4' },
      { kind: 'card', card: { title: 'Solo', subtitle: '', buttons: [] } },
    ]);
  });

  it('lists: <list> with bullets, <olist> numbered, items with their words and links (<ulist> and <li> read too)', () => {
    const reply = engineReply(
      'We have:<list><item>Tea</item> <item>Cake, see <link><text>the menu</text><url>https://example.org/menu</url></link></item></list>Steps:<olist><item>Order</item><item><b>Pay</b></item><item> </item></olist>',
    );
    expect(parts(reply)).toEqual([
      { kind: 'text', text: 'We have:' },
      {
        kind: 'list',
        ordered: false,
        items: [
          [{ kind: 'text', text: 'Tea' }],
          [
            { kind: 'text', text: 'Cake, see ' },
            { kind: 'link', text: 'the menu', url: 'https://example.org/menu' },
          ],
        ],
      },
      { kind: 'text', text: 'Steps:' },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'Order' }], [{ kind: 'text', text: '<b>Pay</b>' }]] },
    ]);
    expect(parts('<ulist><li>One</li><li>Two</li></ulist>')).toEqual([{ kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'One' }], [{ kind: 'text', text: 'Two' }]] }]);
  });

  it('never keeps a link that is not http(s): javascript:, data: and relative URLs become text', () => {
    const reply = '<button><text>Click</text><url>javascript:alert(1)</url></button><link><text>Data</text><url>data:text/html,hi</url></link><image>/local.png</image><button>Fine</button>';
    const out = parts(reply)!;
    expect(JSON.stringify(out)).not.toMatch(/javascript:|data:text|"url":"\/local/);
    expect(out).toEqual([
      { kind: 'text', text: 'ClickData<image>/local.png</image>' },
      { kind: 'buttons', buttons: [{ text: 'Fine', postback: 'Fine' }] },
    ]);
    // In a card, such a button is left out; in a list item, such a link is its text.
    expect(parts('<card><title>T</title><button><text>Bad</text><url>javascript:x</url></button></card>')).toEqual([{ kind: 'card', card: { title: 'T', subtitle: '', buttons: [] } }]);
    expect(parts('<list><item><link><text>Bad</text><url>javascript:x</url></link></item></list>')).toEqual([{ kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'Bad' }]] }]);
  });

  it('shows unknown, unclosed, stray and out-of-place tags as the text they were written as', () => {
    expect(parts('<b class="x">bold</b> <button>Go</button>')).toEqual([
      { kind: 'text', text: '<b class="x">bold</b>' },
      { kind: 'buttons', buttons: [{ text: 'Go', postback: 'Go' }] },
    ]);
    // A rich element inside an unknown one is still read: the unknown tags are only text.
    expect(parts('<b>Choose: <button>Go</button></b>')).toEqual([
      { kind: 'text', text: '<b>Choose:' },
      { kind: 'buttons', buttons: [{ text: 'Go', postback: 'Go' }] },
      { kind: 'text', text: '</b>' },
    ]);
    expect(parts('<button>Go</button> </card> <search>x</search>')).toEqual([
      { kind: 'buttons', buttons: [{ text: 'Go', postback: 'Go' }] },
      { kind: 'text', text: '</card> <search>x</search>' },
    ]);
    // A <button> never closed is text; the reply around it is kept whole.
    expect(parts('Before <button>Go <split/> after')).toEqual([
      { kind: 'text', text: 'Before <button>Go' },
      { kind: 'split' },
      { kind: 'text', text: 'after' },
    ]);
    // Never closed, or closed out of turn: the start tags are text; a part out of its place (<title>) is as written.
    expect(parts('a <button>Yes and <card><title>T</title> b')).toBeUndefined();
    expect(parts('a <button>Yes and <card><title>T</title> b<split/>c')).toEqual([{ kind: 'text', text: 'a <button>Yes and <card><title>T</title> b' }, { kind: 'split' }, { kind: 'text', text: 'c' }]);
    expect(parts('x </button> <link><text>site</text></link>')).toEqual([{ kind: 'text', text: 'x </button> site' }]);
    // Only tags are tags; AIML's names are lower case; a closing tag has no attributes.
    expect(parts('a <3 b < c > d <split/>e')).toEqual([{ kind: 'text', text: 'a <3 b < c > d' }, { kind: 'split' }, { kind: 'text', text: 'e' }]);
    expect(parts('<Button>Yes</Button> <split />')).toEqual([{ kind: 'text', text: '<Button>Yes</Button>' }, { kind: 'split' }]);
    expect(parts('<button id="b1" data-x=\'<split/>\'>Go</button x="1"></button>')).toEqual([{ kind: 'buttons', buttons: [{ text: 'Go</button x="1">', postback: 'Go</button x="1">' }] }]);
  });

  it('keeps an <oob> command for Studio as the bot wrote it, where the bot put it; the channel never gets it', () => {
    const reply = engineReply('Opening the map. <oob><search>Paris</search></oob>');
    expect(parts(reply)).toEqual([
      { kind: 'text', text: 'Opening the map. ' },
      { kind: 'oob', source: '<search>Paris</search>' },
    ]);
    expect(readRichReplyForChannel(reply)).toEqual([{ kind: 'text', text: 'Opening the map.' }]);
    expect(readRichReply('Calling <oob><dial>555 0100</dial></oob> now')).toEqual([
      { kind: 'text', text: 'Calling ' },
      { kind: 'oob', source: '<dial>555 0100</dial>' },
      { kind: 'text', text: ' now' },
    ]);
    expect(readRichReplyForChannel('Calling <oob><dial>555 0100</dial></oob> now')).toEqual([{ kind: 'text', text: 'Calling  now' }]);
  });

  it('a delay is a number of seconds, at most MAX_DELAY_SECONDS; anything else is text', () => {
    expect(parts('a<delay>90</delay>b')).toContainEqual({ kind: 'delay', seconds: MAX_DELAY_SECONDS });
    expect(parts('a<delay>soon</delay><split/>b')).toEqual([{ kind: 'text', text: 'a<delay>soon</delay>' }, { kind: 'split' }, { kind: 'text', text: 'b' }]);
  });

  it('stays bounded on hostile input (deep nesting, thousands of tags)', () => {
    const deep = '<a>'.repeat(5_000) + 'x' + '</a>'.repeat(5_000) + '<split/>';
    expect(parts(deep)?.at(-1)).toEqual({ kind: 'split' });
    const deepRich = '<button>'.repeat(5_000) + 'x' + '</button>'.repeat(5_000);
    expect(() => parts(deepRich)).not.toThrow();
    expect(parts('<li>'.repeat(40) + 'x' + '</li>'.repeat(40))).toBeUndefined();
    const many = '<button>b</button>'.repeat(600) + '<split/>'.repeat(600);
    expect(parts(many)).toBeUndefined(); // too many parts for a chat: shown as text
  });
});
