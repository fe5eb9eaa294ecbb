import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileBot } from '../../../aiml/index.js';
import { RichPart } from '../../../protocol/chat-wire.js';
import { MAX_DELAY_SECONDS, richParts } from '../../../server/channels/rich-media.js';

/** What the engine really gives for a template (rich media passes through as XML, entities decoded). */
function engineReply(template: string): string {
  const aiml = `<?xml version="1.0" encoding="UTF-8"?><aiml version="2.0"><category><pattern>GO</pattern><template>${template}</template></category></aiml>`;
  const { bot, diagnostics } = compileBot({ 'aiml/rich.aiml': aiml });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return bot.respond(bot.createSession('t'), 'go').text;
}

function parts(reply: string): RichPart[] | undefined {
  const out = richParts(reply);
  if (out) z.array(RichPart).parse(out); // always fits the wire contract
  return out;
}

describe('rich media in bot replies', () => {
  it('leaves plain replies alone, including text that merely contains < or &', () => {
    expect(parts('Hello there')).toBeUndefined();
    expect(parts(engineReply('Tom &amp; Jerry &lt;3 x &lt; y'))).toBeUndefined();
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

  it('never keeps a link that is not http(s): javascript:, data: and relative URLs become text', () => {
    const reply = '<button><text>Click</text><url>javascript:alert(1)</url></button><link><text>Data</text><url>data:text/html,hi</url></link><image>/local.png</image><button>Fine</button>';
    const out = parts(reply)!;
    expect(JSON.stringify(out)).not.toMatch(/javascript:|data:text|"url":"\/local/);
    expect(out).toEqual([
      { kind: 'text', text: 'ClickData<image>/local.png</image>' },
      { kind: 'buttons', buttons: [{ text: 'Fine', postback: 'Fine' }] },
    ]);
    // In a card, such a button is left out.
    expect(parts('<card><title>T</title><button><text>Bad</text><url>javascript:x</url></button></card>')).toEqual([{ kind: 'card', card: { title: 'T', subtitle: '', buttons: [] } }]);
  });

  it('shows unknown, unclosed and stray tags as the text they were written as', () => {
    expect(parts('<b class="x">bold</b> <button>Go</button>')).toEqual([
      { kind: 'text', text: '<b class="x">bold</b>' },
      { kind: 'buttons', buttons: [{ text: 'Go', postback: 'Go' }] },
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
    // Only tags are tags.
    expect(parts('a <3 b < c > d <split/>e')).toEqual([{ kind: 'text', text: 'a <3 b < c > d' }, { kind: 'split' }, { kind: 'text', text: 'e' }]);
  });

  it('hides <oob> (instructions for the device, not words for the reader), also in a reply that is otherwise text', () => {
    expect(parts(engineReply('Opening the map. <oob><map>Paris</map></oob>'))).toEqual([{ kind: 'text', text: 'Opening the map.' }]);
  });

  it('a delay is a number of seconds, at most MAX_DELAY_SECONDS; anything else is text', () => {
    expect(parts('a<delay>90</delay>b')).toContainEqual({ kind: 'delay', seconds: MAX_DELAY_SECONDS });
    expect(parts('a<delay>soon</delay><split/>b')).toEqual([{ kind: 'text', text: 'a<delay>soon</delay>' }, { kind: 'split' }, { kind: 'text', text: 'b' }]);
  });

  it('stays bounded on hostile input (deep nesting, thousands of tags)', () => {
    const deep = '<a>'.repeat(5_000) + 'x' + '</a>'.repeat(5_000) + '<split/>';
    expect(parts(deep)?.at(-1)).toEqual({ kind: 'split' });
    const many = '<button>b</button>'.repeat(600) + '<split/>'.repeat(600);
    expect(parts(many)).toBeUndefined(); // too many parts for a chat: shown as text
  });
});
