/**
 * Loads a bot's non-AIML files into the stores the engine uses: properties, pdefaults, sets, maps and the
 * five substitution lists. A step generator like the rest of compiling: Rosie's sets and maps hold 100,000
 * rows, and an upload may hold 2 MB of them, so rows are handled in slices (see compile-in-slices.ts).
 */
import { DEFAULT_PROPERTIES } from './bot-properties.js';
import { decodeTextBytes } from './encoding.js';
import { eachInSlices, readKeyValues, readPhrases, readSubstitutions, toDiagnostics } from './store-files.js';
import { SequentialSubstituter, Substituter, type TextSubstitution } from './substitutions.js';
import type { SubstitutionList } from './template-ast.js';
import type { AimlDiagnostic } from './types.js';
import { NUMBER_SET, WordSet, type PhraseSet } from './word-set.js';

export const SUBSTITUTION_LISTS: SubstitutionList[] = ['normal', 'denormal', 'person', 'person2', 'gender'];

export interface BotStores {
  /** Lower-case names; starts from DEFAULT_PROPERTIES. */
  properties: Map<string, string>;
  pdefaults: Map<string, string>;
  /** Lower-case names; always has the built-in `number`. */
  sets: Map<string, PhraseSet>;
  /** Lower-case names; keys upper case with single spaces. */
  maps: Map<string, Map<string, string>>;
  substituters: Record<SubstitutionList, TextSubstitution>;
}

export interface StoreFile {
  /** Normalised path in the bot layout, e.g. 'sets/color.set'. */
  path: string;
  content: string | Uint8Array;
}

function baseName(path: string, ext: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.slice(0, name.length - ext.length);
}

/** Reads every store file (any order of paths is fine; they are handled in the order given). */
export function* readBotStores(files: readonly StoreFile[], diagnostics: AimlDiagnostic[], pause?: () => boolean): Generator<void, BotStores, void> {
  const properties = new Map<string, string>(Object.entries(DEFAULT_PROPERTIES));
  const pdefaults = new Map<string, string>();
  const sets = new Map<string, PhraseSet>();
  const maps = new Map<string, Map<string, string>>();
  const substitutionPairs = new Map<SubstitutionList, Array<[string, string]>>();
  /** Which set each phrase was first seen in (only while loading), to warn about a phrase in two sets. */
  const setOfPhrase = new Map<string, string>();
  const sharedPhrases = new Map<string, SharedPhrases>();

  for (const { path, content } of files) {
    const lower = path.toLowerCase();
    const { text, warning } = typeof content === 'string' ? { text: content } : decodeTextBytes(content);
    if (warning) diagnostics.push({ file: path, line: 0, column: 0, message: warning, severity: 'warning' });
    let problems;
    if (lower.endsWith('.set')) {
      const set = new WordSet(baseName(path, '.set'));
      problems = yield* readPhrases(
        text,
        (phrase, line) => {
          const key = set.add(phrase);
          if (key === undefined) return;
          const other = setOfPhrase.get(key);
          if (other === undefined) setOfPhrase.set(key, set.name);
          else if (other !== set.name) {
            const pairKey = `${path}\n${other}`;
            const shared = sharedPhrases.get(pairKey);
            if (shared === undefined) sharedPhrases.set(pairKey, { file: path, line: line(), set: set.name, other, examples: [key], count: 1 });
            else {
              shared.count++;
              if (shared.examples.length < 5) shared.examples.push(key);
            }
          }
        },
        pause,
      );
      sets.set(set.name.toLowerCase(), set);
    } else if (lower.endsWith('.map')) {
      const map = new Map<string, string>();
      const lines = new Map<string, number>();
      problems = yield* readKeyValues(
        text,
        'map',
        (k, v, line) => {
          const key = k.trim().replace(/\s+/g, ' ').toUpperCase();
          const first = lines.get(key);
          // Program AB (Pandorabots) keeps the last value of a repeated key; so do we, and say so.
          if (first !== undefined && map.get(key) !== v) {
            const at = line();
            diagnostics.push({ file: path, line: at, column: 0, message: duplicateKeyMessage(key, map.get(key)!, v, first), severity: 'warning' });
            lines.set(key, at);
          } else if (first === undefined) lines.set(key, line());
          map.set(key, v);
        },
        pause,
      );
      maps.set(baseName(path, '.map').toLowerCase(), map);
    } else if (lower.endsWith('.substitution')) {
      const name = baseName(path, '.substitution').toLowerCase() as SubstitutionList;
      const pairs: Array<[string, string]> = [];
      problems = yield* readSubstitutions(text, (from, to) => pairs.push([from, to]), pause);
      if (SUBSTITUTION_LISTS.includes(name)) substitutionPairs.set(name, [...(substitutionPairs.get(name) ?? []), ...pairs]);
      else diagnostics.push({ file: path, line: 0, column: 0, message: `unknown substitution list '${name}' (expected ${SUBSTITUTION_LISTS.join(', ')}); ignored`, severity: 'warning' });
    } else if (lower.endsWith('.properties')) {
      problems = yield* readKeyValues(text, 'property', (k, v) => properties.set(k.trim().toLowerCase(), v), pause);
    } else if (lower.endsWith('.pdefaults')) {
      problems = yield* readKeyValues(text, 'pdefaults', (k, v) => pdefaults.set(k.trim(), v), pause);
    } else {
      diagnostics.push({ file: path, line: 0, column: 0, message: 'not a bot file (expected .aiml, .set, .map, .substitution, .properties or .pdefaults); ignored', severity: 'warning' });
    }
    if (problems) diagnostics.push(...toDiagnostics(path, problems));
    if (pause?.()) yield;
  }
  if (!sets.has('number')) sets.set('number', NUMBER_SET);
  for (const shared of sharedPhrases.values()) diagnostics.push(phrasesInTwoSets(shared));
  // Emptied at once: a context that outlives this function (a closure created here) must not keep 100,000 phrases.
  setOfPhrase.clear();

  // `normal` runs on every input: one linear pass. The template-side lists keep Program AB's pair-by-pair order.
  const substituters = {} as Record<SubstitutionList, TextSubstitution>;
  for (const list of SUBSTITUTION_LISTS) {
    const substituter = list === 'normal' ? new Substituter() : new SequentialSubstituter();
    yield* eachInSlices(substitutionPairs.get(list) ?? [], ([from, to]) => substituter.add(from, to), pause);
    substituters[list] = substituter;
  }
  return { properties, pdefaults, sets, maps, substituters };
}

function duplicateKeyMessage(key: string, before: string, after: string, firstLine: number): string {
  return `map key '${key}' appears again (line ${firstLine} gave '${before}'): the last value, '${after}', wins`;
}

interface SharedPhrases {
  /** The file of the later set, and the line of its first phrase that the other set has too. */
  file: string;
  line: number;
  set: string;
  other: string;
  examples: string[];
  count: number;
}

/**
 * Phrases in two sets load fine (each set keeps them); but where two patterns differ only in which of those sets
 * they name, the set whose name sorts first is tried first and wins (the match order), which is worth knowing.
 * One warning per pair of sets (Rosie's sets share thousands of words), at the first shared phrase.
 */
function phrasesInTwoSets({ file, line, set, other, examples, count }: SharedPhrases): AimlDiagnostic {
  const winner = other.toLowerCase() <= set.toLowerCase() ? other : set;
  const list = examples.map((e) => `'${e}'`).join(', ') + (count > examples.length ? ` and ${count - examples.length} more` : '');
  const what = count === 1 ? `${list} is also in the set '${other}'` : `${count} phrases (${list}) are also in the set '${other}'`;
  return { file, line, column: 0, message: `${what}: where two patterns differ only in these sets, <set>${winner}</set> (first by name) wins`, severity: 'warning' };
}
