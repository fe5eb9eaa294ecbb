// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageItem } from '../../../renderer/src/inbox/MessageItem.js';
import { readRichReply, replyPreview } from '../../../renderer/src/inbox/rich-reply.js';
import { message } from './support/fixtures.js';

afterEach(cleanup);

describe('reading the rich media of a bot reply', () => {
  it('finds buttons, quick replies, cards, links and the text around them', () => {
    expect(readRichReply('Pick one: <button>Yes</button> <reply><text>Maybe</text><postback>MAYBE</postback></reply>')).toEqual([
      'Pick one: ',
      { name: 'button', children: ['Yes'] },
      ' ',
      { name: 'reply', children: [{ name: 'text', children: ['Maybe'] }, { name: 'postback', children: ['MAYBE'] }] },
    ]);
    expect(readRichReply('Bye<split/>See you <delay>2</delay>')).toEqual(['Bye', { name: 'split', children: [] }, 'See you ', { name: 'delay', children: ['2'] }]);
  });

  it('leaves a reply without rich media alone, and keeps other angle brackets as what the bot said', () => {
    expect(readRichReply('plain text')).toBeUndefined();
    expect(readRichReply('I <3 robots and am <glad> you asked')).toBeUndefined();
    expect(readRichReply('Tom & Jerry <3 <button>Yes</button>')).toEqual(['Tom & Jerry <3 ', { name: 'button', children: ['Yes'] }]);
  });

  it('shows an element never closed, or closed out of turn, as the text it was written as', () => {
    expect(readRichReply('a <button>Yes and <card><title>T</title> b')).toEqual(['a <button>Yes and <card>', { name: 'title', children: ['T'] }, ' b']);
    expect(readRichReply('x </button> <link><text>site</text></link>')).toEqual(['x </button> ', { name: 'link', children: [{ name: 'text', children: ['site'] }] }]);
  });

  it('reads nesting deeper than rich media needs as text, without recursing on', () => {
    const deep = '<li>'.repeat(40) + 'x' + '</li>'.repeat(40);
    expect(() => readRichReply(deep)).not.toThrow();
  });

  it('gives a one-line preview with the words and none of the markup', () => {
    expect(replyPreview('Pick one: <button>Yes</button><button>No</button> <reply><text>Maybe</text><postback>MAYBE</postback></reply>')).toBe('Pick one: Yes No Maybe MAYBE');
    expect(replyPreview('See <link><text>our site</text><url>https://example.com</url></link><delay>2</delay><split/>Bye')).toBe('See our site https://example.com Bye');
    expect(replyPreview('I <3 robots and <glad> you asked')).toBe('I <3 robots and <glad> you asked');
  });
});

describe('a bot reply with rich media in the transcript', () => {
  const show = (text: string, author: 'bot' | 'user' = 'bot') => render(<MessageItem message={message('c1', 2, { author, text })} clientName="Rusty" me={undefined} now={Date.now()} />);

  it('shows buttons, cards and links as the user saw them, not as markup', () => {
    show(
      'Our plans:<card><image>https://example.com/basic.png</image><title>Basic & cheap</title><subtitle>For one bot</subtitle><button><text>Choose Basic</text><postback>CHOOSE BASIC</postback></button></card> or <link><text>the docs</text><url>https://example.com/docs</url></link>',
    );
    const reply = screen.getByRole('article');
    expect(reply.textContent).not.toContain('<card>');
    expect(reply.textContent).toContain('Basic & cheap');
    expect(reply.textContent).toContain('Button: Choose Basic → CHOOSE BASIC');
    expect(reply.textContent).toContain('Image: https://example.com/basic.png');
    expect(screen.getByRole('link', { name: 'the docs (https://example.com/docs)' }).getAttribute('href')).toBe('https://example.com/docs');
    // Studio loads nothing from the bot's content.
    expect(reply.querySelector('img, video')).toBeNull();
  });

  it("shows an <oob> command as the device's, and keeps it out of the preview", () => {
    show('Calling now.<oob><dial>555 0100</dial></oob>');
    expect(screen.getByRole('article').textContent).toContain('Calling now.(for the device: <dial>555 0100</dial>)');
    expect(replyPreview('Calling now.<oob><dial>555 0100</dial></oob>')).toBe('Calling now.');
  });

  it('links only web addresses', () => {
    show('<link><text>click</text><url>javascript:alert(1)</url></link>');
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByRole('article').textContent).toContain('click');
  });

  it('shows what a person typed exactly as typed, markup and all', () => {
    show('<button>Yes</button> is what I would put', 'user');
    expect(screen.getByRole('article').textContent).toContain('<button>Yes</button> is what I would put');
  });
});
