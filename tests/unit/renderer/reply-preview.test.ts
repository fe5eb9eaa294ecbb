import { describe, expect, it } from 'vitest';
import { replyPreview } from '../../../renderer/src/inbox/reply-preview.js';

describe('the one-line preview of a bot reply', () => {
  it('shows the words of buttons, quick replies, cards and links, not their markup', () => {
    expect(replyPreview('Pick one: <button>Yes</button><button>No</button> <reply><text>Maybe</text><postback>MAYBE</postback></reply>')).toBe('Pick one: Yes No Maybe MAYBE');
    expect(replyPreview('Plans:<card><image>https://x.test/a.png</image><title>Basic & cheap</title><button><text>Choose</text></button></card>')).toBe(
      'Plans: https://x.test/a.png Basic & cheap Choose',
    );
    expect(replyPreview('See <link><text>our site</text><url>https://example.com</url></link><delay>2</delay><split/>Bye')).toBe('See our site https://example.com Bye');
  });

  it('keeps angle brackets that are what the bot said', () => {
    expect(replyPreview('I <3 robots and <glad> you asked')).toBe('I <3 robots and <glad> you asked');
    expect(replyPreview('plain text stays exactly   as it is')).toBe('plain text stays exactly   as it is');
  });
});
