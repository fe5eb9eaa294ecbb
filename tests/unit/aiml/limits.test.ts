import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT_RESPONSE } from '../../../aiml/index.js';
import { cat, chat } from './support.js';

describe('engine limits', () => {
  it('stops infinite srai recursion at the depth limit with the fallback and says so', () => {
    const { bot, session } = chat(cat('LOOP', '<srai>LOOP</srai>') + cat('OK', 'fine'), { limits: { maxSraiDepth: 10 } });
    const reply = bot.respond(session, 'loop. ok');
    expect(reply.limitHit).toBe('depth');
    expect(reply.sentences[0]!.text).toBe(DEFAULT_LIMIT_RESPONSE);
    expect(reply.sentences[0]!.match.limit).toMatch(/deeper than 10/);
    expect(reply.sentences[0]!.match.srai).toHaveLength(10);
    // The other sentence is answered normally.
    expect(reply.sentences[1]!.text).toBe('fine');
  });

  it('stops a srai fan-out at the count limit', () => {
    const fan = '<srai>F</srai><srai>F</srai><srai>F</srai>';
    const { bot, session } = chat(cat('F', fan) + cat('GO', fan), { limits: { maxSraiCount: 50, maxSraiDepth: 100 } });
    const reply = bot.respond(session, 'go');
    expect(reply.limitHit).toBe('count');
    expect(reply.sentences[0]!.match.srai).toHaveLength(50);
  });

  it('stops at the time limit, measured on the injected clock', () => {
    let now = 0;
    const clock = { now: () => (now += 7) };
    const { bot, session } = chat(cat('SLOW', '<srai>SLOW</srai>'), { clock, limits: { maxMillisPerReply: 100, maxSraiDepth: 1000, maxSraiCount: 1000 } });
    const reply = bot.respond(session, 'slow');
    expect(reply.limitHit).toBe('time');
    expect(reply.sentences[0]!.match.srai.length).toBeLessThan(20);
  });

  it('answers the sentences it has time for, then gives the fallback once for the rest and says how many', () => {
    let now = 0;
    // Every clock read moves time on 30 ms: three sentences start within 100 ms, the fourth would not.
    const clock = { now: () => (now += 30) };
    const { bot, session } = chat(cat('ONE', 'first') + cat('TWO', 'second') + cat('*', 'more'), { clock, limits: { maxMillisPerReply: 100 } });
    const reply = bot.respond(session, 'one. two. three. four. five');
    expect(reply.limitHit).toBe('time');
    expect(reply.sentences.map((s) => s.text)).toEqual(['first', 'second', 'more', DEFAULT_LIMIT_RESPONSE]);
    expect(reply.sentences[3]).toMatchObject({ input: 'FOUR', match: { limit: 'the reply took longer than 100 ms: this sentence (and the 1 after it) was not answered' } });
    expect(reply.text).toBe(`first second more ${DEFAULT_LIMIT_RESPONSE}`);
  });

  it('uses the limit-response property as the fallback', () => {
    const { say } = chat({ 'aiml/t.aiml': `<aiml>${cat('LOOP', '<srai>LOOP</srai>')}</aiml>`, 'system/b.properties': '[["limit-response","Let us talk about something else."]]' });
    expect(say('loop')).toBe('Let us talk about something else.');
  });

  it('bounds condition loops', () => {
    const { bot, session } = chat(cat('SPIN', '<condition><li>x<loop/></li></condition>'), { limits: { maxLoopIterations: 5 } });
    const reply = bot.respond(session, 'spin');
    expect(reply.text).toBe('xxxxx');
    expect(reply.sentences[0]!.match.limit).toMatch(/5 loops/);
  });

  it('bounds output that doubles on every loop', () => {
    const { bot, session } = chat(
      cat('GROW', '<think><set var="x">ab</set></think><condition var="x"><li value="never">no</li><li><think><set var="x"><get var="x"/><get var="x"/></set></think><loop/></li></condition>'),
      { limits: { maxLoopIterations: 100, maxOutputChars: 10_000 } },
    );
    const reply = bot.respond(session, 'grow');
    expect(reply.limitHit).toBe('count');
    expect(reply.sentences[0]!.match.limit).toMatch(/10000 characters/);
  });

  it('answers a 2,000-character input at the deepest srai without overflowing the stack', () => {
    const words = Array.from({ length: 1000 }, () => 'a').join(' ');
    // About the stack, not the clock: a generous time limit, so a machine busy with other work cannot cut it short.
    const { bot, session } = chat(cat('A *', '<srai><star/></srai>') + cat('A', 'bottom'), { limits: { maxSraiDepth: 2000, maxSraiCount: 5000, maxMillisPerReply: 60_000 } });
    const reply = bot.respond(session, words);
    expect(reply.limitHit).toBeUndefined();
    expect(reply.text).toBe('bottom');
    expect(reply.sentences[0]!.match.limit).toMatch(/first 400 words/);
  });

  it('turns a stack overflow into the depth fallback even when the configured limits allow it', () => {
    const { bot, session } = chat(cat('A *', '<srai><star/></srai>') + cat('A', 'bottom'), {
      limits: { maxSraiDepth: 1_000_000, maxSraiCount: 1_000_000, maxSentenceWords: 1_000_000, maxMatchSteps: 1e9, maxStepsPerReply: 1e12, maxMillisPerReply: 60_000 },
    });
    // Use up most of the stack first, as a deeply nested caller would, so a modest srai chain overflows it.
    const probe = (k: number): number => {
      try {
        return probe(k + 1);
      } catch {
        return k;
      }
    };
    const room = probe(0);
    const words = Array.from({ length: 1500 }, () => 'a').join(' ');
    const nested = (k: number): ReturnType<typeof bot.respond> => (k === 0 ? bot.respond(session, words) : nested(k - 1));
    const reply = nested(Math.max(0, room - 4000));
    expect(reply.limitHit).toBe('depth');
    expect(reply.sentences[0]!.match.limit).toMatch(/stack/);
    // The session is still usable afterwards.
    expect(bot.respond(session, 'a').text).toBe('bottom');
  });
});
