import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChatMessage } from '../../../protocol/chat-wire.js';
import { readRichReplyForChannel, type RichPart } from '../../../protocol/rich-media.js';
import { ChannelParts } from '../../../server/chat/channel-parts.js';

// What the Platform sends the end user's channel for a bot reply: the one reader's parts (tests/unit/protocol/
// rich-media.test.ts), without device commands, read once per reply however often the reply is sent.

/** The real reader, counting the replies it reads. */
function countingReader() {
  const reads: string[] = [];
  return {
    reads,
    read: (reply: string): RichPart[] | undefined => {
      reads.push(reply);
      return readRichReplyForChannel(reply);
    },
  };
}

const MENU = 'What would you like?<button><text>Opening hours</text><postback>HOURS</postback></button><button>Prices</button>';

describe("a bot reply's rich media for the end user's channel", () => {
  it('is read once, however often the reply is sent (a welcome repeating the history, another user getting the same menu)', () => {
    const { reads, read } = countingReader();
    const parts = new ChannelParts(read);
    const first = parts.of(MENU);
    for (let i = 0; i < 200; i++) expect(parts.of(MENU)).toEqual(first);
    expect(first).toEqual([
      { kind: 'text', text: 'What would you like?' },
      { kind: 'buttons', buttons: [{ text: 'Opening hours', postback: 'HOURS' }, { text: 'Prices', postback: 'Prices' }] },
    ]);
    expect(reads).toEqual([MENU]);
  });

  it('never reads a reply without <: it has no rich media; a reply with < but no rich media is read once and shown as text', () => {
    const { reads, read } = countingReader();
    const parts = new ChannelParts(read);
    expect(parts.of('We open at nine.')).toBeUndefined();
    expect(parts.of('I <3 robots')).toBeUndefined();
    expect(parts.of('I <3 robots')).toBeUndefined();
    expect(reads).toEqual(['I <3 robots']);
  });

  it('keeps at most its budget of replies, the least recently sent going first', () => {
    const { reads, read } = countingReader();
    const a = `A${'.'.repeat(40)}<split/>a`;
    const b = `B${'.'.repeat(40)}<split/>b`;
    const c = `C${'.'.repeat(40)}<split/>c`;
    const parts = new ChannelParts(read, 100); // room for two of these replies
    parts.of(a);
    parts.of(b);
    parts.of(a); // a was sent last: b is the one to go
    parts.of(c);
    parts.of(a);
    parts.of(c);
    expect(reads).toEqual([a, b, c]);
    parts.of(b);
    expect(reads).toEqual([a, b, c, b]);
    // A reply bigger than the whole budget is read each time rather than pushing everything else out.
    const huge = `${'x'.repeat(200)}<split/>y`;
    parts.of(huge);
    parts.of(huge);
    parts.of(c);
    expect(reads).toEqual([a, b, c, b, huge, huge]);
  });

  it('has no device command in it, and fits the chat wire contract', () => {
    const out = new ChannelParts().of('Calling now.<oob><dial>555 0100</dial></oob> <reply>Thanks</reply>');
    expect(out).toEqual([
      { kind: 'text', text: 'Calling now.' },
      { kind: 'replies', replies: [{ text: 'Thanks', postback: 'Thanks' }] },
    ]);
    expect(() => z.array(ChatMessage).parse([{ seq: 1, from: 'bot', text: 'x', at: 0, parts: out }])).not.toThrow();
  });
});
