import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBot, compileBotInSlices, readBotDirectory, type BotFiles } from '../../../aiml/index.js';
import { SHARED_DATA, needing } from '../../support/requirements.js';
import { generatedBot } from './generated-bot.js';

const alice = join(SHARED_DATA, 'aiml', 'alice-foundation');
const aliceBot = { met: existsSync(alice), missing: `../shared/data is absent (no ${alice})` };

/** Runs `work` while a 2 ms timer ticks; returns the longest time between two ticks (the loop was held that long). */
async function longestGap(work: () => Promise<unknown>): Promise<{ gap: number; ticks: number }> {
  let last = performance.now();
  let gap = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
    ticks++;
  }, 2);
  try {
    await work();
    // One more turn so that a stall at the very end is seen too.
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    clearInterval(timer);
  }
  return { gap, ticks };
}

function compileTwoWays(name: string, load: () => Promise<BotFiles>) {
  it(`${name}: a timer keeps firing on time while it compiles in slices, unlike compileBot in one go`, async () => {
    const files = await load();
    const oneGo = await longestGap(async () => compileBot(files));
    const sliced = await longestGap(() => compileBotInSlices(files));
    // In one go the timer cannot fire at all until the end. In slices it fires every few milliseconds; what remains
    // of the longest gap is garbage collection and the operating system sharing two cores among many processes.
    // (Relative bounds: on a machine shared by many busy processes every gap grows, the one-go gap with them.)
    expect(oneGo.gap).toBeGreaterThan(150);
    expect(sliced.gap).toBeLessThan(oneGo.gap / 2);
    expect(sliced.ticks).toBeGreaterThan(20);
  });
}

describe('compiling a large bot in slices', () => {
  compileTwoWays('a generated bot of 28,000 categories and 20,000 set and map rows', async () => generatedBot(10));
  describe.skipIf(!aliceBot.met)(needing('ALICE', aliceBot), () => {
    compileTwoWays('ALICE (99,524 categories)', () => readBotDirectory(alice));
  });

  it('the generated bot answers the same compiled either way', async () => {
    const files = generatedBot(2);
    const a = compileBot(files).bot;
    const b = (await compileBotInSlices(files)).bot;
    const inputs = ['ba ga', 'bo zu', 'x ba ga', 'anything else'];
    expect(inputs.map((i) => b.respond(b.createSession('s'), i, { random: () => 0 }).text)).toEqual(inputs.map((i) => a.respond(a.createSession('s'), i, { random: () => 0 }).text));
    expect(a.respond(a.createSession('s'), 'ba ga').text).toBe('Answer 0.');
  });
});
