import { describe, expect, it } from 'vitest';
import { compileBot, compileBotInSlices, DEFAULT_NO_MATCH_RESPONSE, type Bot, type BotFiles } from '../../../aiml/index.js';
import { aiml, cat } from './support.js';

/** A bot touching every kind of file, a broken file, duplicates and a learn file, so every code path pauses. */
function files(): BotFiles {
  const many = Array.from({ length: 300 }, (_, i) => cat(`WORD${i} *`, `answer ${i} <star/>`)).join('\n');
  return {
    'aiml/a.aiml': aiml(`${many}\n${cat('I LIKE <set>color</set>', '<map name="shade"><star/></map>')}\n${cat('HI', 'one')}\n${cat('HI', 'two')}`),
    'aiml/broken.aiml': '<aiml><category><pattern>X</pattern><template>x</templat></category></aiml>',
    'aiml/pand_learn.aiml': aiml(cat('LEARNED', 'from the learn file')),
    'sets/color.set': JSON.stringify(Array.from({ length: 2000 }, (_, i) => [`color${i}`])),
    'maps/shade.map': JSON.stringify(Array.from({ length: 2000 }, (_, i) => [`color${i}`, `shade ${i}`])),
    'substitutions/normal.substitution': JSON.stringify(Array.from({ length: 1000 }, (_, i) => [` abbr${i} `, ` word${i} `])),
    'system/b.properties': '[["name","Slicer"]]',
    'system/b.pdefaults': '[["env","test"]]',
    'notes.txt': 'not a bot file',
  };
}

function answers(bot: Bot): string[] {
  const session = bot.createSession('c');
  return ['word7 tea', 'abbr12 coffee', 'I like color1999', 'hi', 'learned', 'x'].map((input) => bot.respond(session, input).text);
}

describe('compiling in slices', () => {
  it('gives exactly what compileBot gives, however often it pauses', async () => {
    const expected = compileBot(files());
    let clock = 0;
    let turns = 0;
    // Every clock read moves time on by a whole slice: the compile pauses at every chance it has.
    const result = await compileBotInSlices(files(), {
      sliceMs: 1,
      now: () => clock++,
      yieldToEventLoop: async () => {
        turns++;
      },
    });
    expect(turns).toBeGreaterThan(50);
    expect(result.diagnostics).toEqual(expected.diagnostics);
    expect(result.bot.categoryCount).toBe(expected.bot.categoryCount);
    expect([...result.bot.categories()]).toEqual([...expected.bot.categories()]);
    expect(answers(result.bot)).toEqual(answers(expected.bot));
    expect(answers(result.bot)).toEqual(['answer 7 tea', 'answer 12 coffee', 'shade 1999', 'two', 'from the learn file', DEFAULT_NO_MATCH_RESPONSE]);
  });

  it('gives the event loop a turn between slices, so timers run while it compiles', async () => {
    const fired: number[] = [];
    let turns = 0;
    const timer = setInterval(() => fired.push(turns), 0);
    try {
      await compileBotInSlices(files(), {
        sliceMs: 1,
        now: (() => {
          let t = 0;
          return () => t++;
        })(),
        yieldToEventLoop: () => {
          turns++;
          return new Promise((resolve) => setImmediate(resolve));
        },
      });
    } finally {
      clearInterval(timer);
    }
    // The timer fired between slices, not only before or after the compile.
    expect(fired.some((t) => t > 0 && t < turns)).toBe(true);
  });
});
