// `npm run bench:rich-media`: what reading a bot reply's rich media costs (one reader, protocol/rich-media.ts), on the
// Platform (the parts sent to the Chat Widget and the Landing Page, read once per reply and then kept) and in Studio
// (the transcript and the conversation list preview). Inputs: a 600-character reply with every common kind of rich
// media, a 600-character reply without `<`, and one with `<` but no rich media. Prints a table: microseconds per
// reply, median of several rounds.
import { availableParallelism, loadavg } from 'node:os';
import { readRichReply, readRichReplyForChannel } from '../protocol/rich-media.js';
import { replyPreview } from '../renderer/src/inbox/reply-preview.js';
import { ChannelParts } from '../server/chat/channel-parts.js';

/** A reply as the engine gives it (entities decoded): text, split, carousel of two cards, delay, buttons, link, quick replies. */
const RICH =
  'Here is what we have:<split/><carousel><card><image>https://example.org/tea.png</image><title>Tea & cake</title>' +
  '<subtitle>Fresh daily</subtitle><button><text>Order tea</text><postback>ORDER TEA</postback></button></card><card>' +
  '<title>Coffee</title><subtitle>Roasted</subtitle><button>Order coffee</button></card></carousel><delay>2</delay>' +
  'Anything else? <button><text>Hours</text><postback>HOURS</postback></button><button><text>Our site</text>' +
  '<url>https://example.org/</url></button> or read <link><text>the guide</text><url>https://example.org/guide</url></link>.' +
  '<reply>Yes!</reply><reply>No</reply>';
const PLAIN = 'We open at nine and close at five, every day but Sunday. '.repeat(11).slice(0, 600);
const ANGLES = 'I <3 robots, and 3 < 4 > 2 is what I would say to a <glad> customer who asks. '.repeat(8).slice(0, 600);

interface Case {
  reader: string;
  reply: string;
  read: () => unknown;
}

const inputs: Array<[string, string]> = [
  ['rich', RICH],
  ['plain (no <)', PLAIN],
  ['< but no rich media', ANGLES],
];
const kept = new ChannelParts();
const readers: Array<[string, (text: string) => unknown]> = [
  ['Platform: parts for the channels', readRichReplyForChannel],
  ['Platform: the same reply again (a welcome, another user)', (text) => kept.of(text)],
  ['Studio: transcript', readRichReply],
  ['Studio: list preview', replyPreview],
];
const cases: Case[] = readers.flatMap(([reader, read]) => inputs.map(([name, reply]) => ({ reader, reply: name, read: () => read(reply) })));

const ROUNDS = 7;
const ROUND_MS = 150;

/** Microseconds per call: as many calls as fit in ROUND_MS, ROUNDS times; the median round. */
function measure(read: () => unknown): number {
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += read() === undefined ? 0 : 1; // warm up the JIT
  const perCall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ROUND_MS) {
      for (let i = 0; i < 200; i++) sink += read() === undefined ? 0 : 1;
      calls += 200;
      now = performance.now();
    }
    perCall.push(((now - start) * 1000) / calls);
  }
  if (sink < 0) console.log(sink); // keeps the calls from being optimised away
  return perCall.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

const format = (us: number) => (us < 0.1 ? us.toFixed(3) : us < 10 ? us.toFixed(2) : us.toFixed(1));

console.log(`rich media reader, replies of ${RICH.length} / ${PLAIN.length} / ${ANGLES.length} characters`);
console.log(`machine: ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}; node ${process.version}\n`);
console.log('| reader | reply | µs per reply |');
console.log('|---|---|---|');
for (const c of cases) console.log(`| ${c.reader} | ${c.reply} | ${format(measure(c.read))} |`);
