import { describe, expect, it } from 'vitest';
import { loadWordLists, RobotNameGenerator } from '../../../server/names/robot-names.js';

/** A deterministic random source (a small LCG) so each test sees the same sequence. */
function seeded(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('robot names', () => {
  const words = loadWordLists();

  it('ships at least 40 adjectives and 40 nouns, without duplicates', () => {
    expect(words.adjectives.length).toBeGreaterThanOrEqual(40);
    expect(words.nouns.length).toBeGreaterThanOrEqual(40);
    expect(new Set(words.adjectives).size).toBe(words.adjectives.length);
    expect(new Set(words.nouns).size).toBe(words.nouns.length);
  });

  it('makes "Adjective Noun" names from the lists', () => {
    const name = new RobotNameGenerator(words, seeded()).next(() => false);
    const [adjective, noun] = name.split(' ');
    expect(words.adjectives).toContain(adjective);
    expect(words.nouns).toContain(noun);
  });

  it('never gives a live conversation name twice while free pairs remain', () => {
    const generator = new RobotNameGenerator(words, seeded(7));
    const live = new Set<string>();
    for (let i = 0; i < generator.combinations; i++) live.add(generator.next((n) => live.has(n)));
    expect(live.size).toBe(generator.combinations);
  });

  it('numbers names only once every pair is taken', () => {
    const small = { adjectives: ['Rusty', 'Shiny'], nouns: ['Bolt'] };
    const generator = new RobotNameGenerator(small, seeded(3));
    const live = new Set<string>();
    for (let i = 0; i < 4; i++) live.add(generator.next((n) => live.has(n)));
    expect([...live].sort()).toEqual(expect.arrayContaining(['Rusty Bolt', 'Shiny Bolt']));
    expect([...live].filter((n) => / \d+$/.test(n))).toHaveLength(2);
    expect(live.size).toBe(4);
  });

  it('uses the injected random source (same seed, same names)', () => {
    const a = new RobotNameGenerator(words, seeded(99));
    const b = new RobotNameGenerator(words, seeded(99));
    expect([a.next(() => false), a.next(() => false)]).toEqual([b.next(() => false), b.next(() => false)]);
  });
});
