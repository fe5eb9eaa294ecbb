/**
 * A large bot generated from a seed-free recipe (the same files every time), for tests that need a compile to
 * take a while: patterns with words, wildcards, sets, that and topic; templates with srai, random, condition and
 * predicates; a big set and a big map. About 2,800 categories per file at `perFile` default.
 */

/** A pronounceable, unique word for each number ("BAKO", "BALU", ...). */
export function wordOf(n: number): string {
  const consonants = 'BDFGKLMNPRSTVZ';
  const vowels = 'AEIOU';
  let word = '';
  let k = n;
  do {
    word += consonants[k % consonants.length]! + vowels[Math.floor(k / consonants.length) % vowels.length]!;
    k = Math.floor(k / (consonants.length * vowels.length));
  } while (k > 0);
  return word;
}

function category(i: number): string {
  const a = wordOf(i);
  const b = wordOf(i * 7 + 3);
  switch (i % 5) {
    case 0:
      return `<category><pattern>${a} ${b}</pattern><template>Answer ${i}.</template></category>`;
    case 1:
      return `<category><pattern>${a} * ${b}</pattern><template><srai>${wordOf(i - 1)} ${wordOf((i - 1) * 7 + 3)}</srai> <star/></template></category>`;
    case 2:
      return `<category><pattern>_ ${a} <set>thing</set></pattern><template><random><li>one <star index="2"/></li><li>two</li></random></template></category>`;
    case 3:
      return `<category><pattern>${a} ^</pattern><that>ANSWER *</that><template><think><set name="k${i % 50}"><star/></set></think><condition name="k${i % 50}"><li value="x">x</li><li>other</li></condition></template></category>`;
    default:
      return `<topic name="${b}"><category><pattern># ${a}</pattern><template><map name="thing2word"><star/></map></template></category></topic>`;
  }
}

/** The files of a bot with `files` AIML files of `perFile` categories each, plus a set and a map of `rows` rows. */
export function generatedBot(files: number, perFile = 2800, rows = 20_000): Record<string, string> {
  const out: Record<string, string> = {};
  for (let f = 0; f < files; f++) {
    const body: string[] = [];
    for (let i = f * perFile; i < (f + 1) * perFile; i++) body.push(category(i));
    out[`aiml/generated${f}.aiml`] = `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n${body.join('\n')}\n</aiml>\n`;
  }
  const things = Array.from({ length: rows }, (_, i) => [wordOf(i + 100_000).toLowerCase(), wordOf(i + 200_000).toLowerCase()]);
  out['sets/thing.set'] = JSON.stringify(things);
  out['maps/thing2word.map'] = JSON.stringify(things.map(([a, b]) => [`${a} ${b}`, wordOf(things.length - 1).toLowerCase()]));
  return out;
}
