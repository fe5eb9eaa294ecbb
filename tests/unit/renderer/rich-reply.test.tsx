// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationRow } from '../../../renderer/src/inbox/ConversationRow.js';
import { MessageItem } from '../../../renderer/src/inbox/MessageItem.js';
import { replyPreview } from '../../../renderer/src/inbox/reply-preview.js';
import { conversation, message, T0 } from './support/fixtures.js';

// Studio draws a bot reply from the parts of the one reader (protocol/rich-media.ts; what it reads is tested in
// tests/unit/protocol/rich-media.test.ts): the transcript shows what the end user saw, the list a one-line preview.

afterEach(cleanup);

describe('the one-line preview of a bot reply in the conversation list', () => {
  it('has the words, what buttons send and where links point, and none of the markup', () => {
    expect(replyPreview('Pick one: <button>Yes</button><button>No</button> <reply><text>Maybe</text><postback>MAYBE</postback></reply>')).toBe('Pick one: Yes No Maybe MAYBE');
    expect(replyPreview('See <link><text>our site</text><url>https://example.com</url></link><delay>2</delay><split/>Bye')).toBe('See our site https://example.com Bye');
    expect(replyPreview('Plans:<card><image>https://example.com/b.png</image><title>Basic</title><subtitle>One bot</subtitle><button>Choose</button></card>')).toBe('Plans: https://example.com/b.png Basic One bot Choose');
    expect(replyPreview('We have:<list><item>Tea</item><item>Cake</item></list>')).toBe('We have: Tea Cake');
  });

  it('leaves other angle brackets as what the bot said, and keeps <oob> commands out: the end user never reads them', () => {
    expect(replyPreview('I <3 robots and <glad> you asked')).toBe('I <3 robots and <glad> you asked');
    expect(replyPreview('Calling now.<oob><dial>555 0100</dial></oob>')).toBe('Calling now.');
  });

  it('is what the conversation row shows after "Bot: "', () => {
    const last = message('c1', 2, { author: 'bot', text: 'Pick one: <button>Yes</button><oob><dial>1</dial></oob>' });
    render(<ConversationRow conversation={conversation('c1', { lastMessage: last })} now={T0} help={undefined} />);
    expect(screen.getByText(/^Bot: /).textContent).toBe('Bot: Pick one: Yes');
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

  it('shows quick replies and buttons with what they send or open, a carousel of cards, pauses and bubble breaks', () => {
    show(
      'Hi<split/>Pick:<button>Yes</button><button><text>Docs</text><url>https://example.com/d</url></button><delay>2</delay><reply><text>Maybe</text><postback>MAYBE</postback></reply><carousel><card><title>Tea</title></card><card><title>Cake</title></card></carousel><video>https://example.com/v.mp4</video>',
    );
    const reply = screen.getByRole('article');
    // The split, and the pause (typing dots in the widget, then a new bubble).
    expect(screen.getAllByRole('separator', { name: 'Next message bubble' })).toHaveLength(2);
    expect(reply.textContent).toContain('Button: Yes');
    expect(reply.textContent).not.toContain('Yes →');
    expect(screen.getByRole('link', { name: 'Docs' }).getAttribute('href')).toBe('https://example.com/d');
    expect(reply.querySelector('[title="Opens https://example.com/d"]')).not.toBeNull();
    expect(reply.textContent).toContain('(pause 2 s)');
    expect(reply.textContent).toContain('Quick reply: Maybe → MAYBE');
    expect(reply.querySelector('[title="Sends “MAYBE”"]')).not.toBeNull();
    expect([...reply.querySelectorAll('.rich-carousel .rich-card-title')].map((t) => t.textContent)).toEqual(['Tea', 'Cake']);
    expect(reply.textContent).toContain('Video: https://example.com/v.mp4');
  });

  it('shows bulleted and numbered lists as lists', () => {
    show('We have:<list><item>Tea</item><item>Cake</item></list>Then:<olist><item>Order</item><item>Pay</item></olist>');
    const [bullets, steps] = screen.getAllByRole('list');
    expect(bullets!.tagName).toBe('UL');
    expect(steps!.tagName).toBe('OL');
    expect([...steps!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Order', 'Pay']);
  });

  it("shows an <oob> command as the device's, where the bot put it", () => {
    show('Calling now. <oob><dial>555 0100</dial></oob>');
    expect(screen.getByRole('article').textContent).toContain('Calling now. (for the device: <dial>555 0100</dial>)');
  });

  it('links only web addresses', () => {
    show('<link><text>click</text><url>javascript:alert(1)</url></link> <button><text>Run</text><url>javascript:alert(2)</url></button>');
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByRole('article').textContent).toContain('click');
    expect(screen.getByRole('article').textContent).toContain('Run');
  });

  it('shows what a person typed exactly as typed, markup and all', () => {
    show('<button>Yes</button> is what I would put', 'user');
    expect(screen.getByRole('article').textContent).toContain('<button>Yes</button> is what I would put');
  });
});
