/**
 * compileBot: turns a bot's files (Pandorabots layout, in memory) into a Bot plus every problem found.
 * A Bot is always returned: a file that is not well-formed is skipped, a broken category is skipped, and
 * each problem is listed with file, line and column.
 *
 * Load order is defined: AIML files alphabetically by path, then `pand_livetraining.aiml`, then the learn
 * file (`learn-filename`). On identical pattern + that + topic the later category wins.
 */
import { readAimlText, toCategory } from './aiml-reader.js';
import { tokenKind, tokenValue } from './category.js';
import { Bot } from './bot.js';
import type { BotData, LearnfStore } from './bot-data.js';
import { decodeTextBytes, decodeXmlBytes } from './encoding.js';
import { DEFAULT_SENTENCE_SPLITTERS, Normalizer } from './normalizer.js';
import { Matcher, PatternGraph } from './pattern-graph.js';
import { readKeyValues, readPhrases, readSubstitutions, toDiagnostics } from './store-files.js';
import { SequentialSubstituter, Substituter, type TextSubstitution } from './substitutions.js';
import type { SubstitutionList } from './template-ast.js';
import { DEFAULT_LIMITS, type AimlDiagnostic, type BotFiles, type CompileOptions } from './types.js';
import { NUMBER_SET, WordSet, type PhraseSet } from './word-set.js';
import { LineIndex } from './xml.js';

export const LIVE_TRAINING_FILE = 'pand_livetraining.aiml';
export const DEFAULT_LEARN_FILE = 'pand_learn.aiml';

/** Engine settings a bot gets when its properties do not say otherwise (Pandorabots' defaults). */
export const DEFAULT_PROPERTIES: Record<string, string> = {
  'default-get': 'unknown',
  'default-property': 'unknown',
  'default-map': 'unknown',
  'sentence-splitters': DEFAULT_SENTENCE_SPLITTERS,
  'learn-filename': DEFAULT_LEARN_FILE,
  'max-learn-file-size': '1000000',
};

const SUBSTITUTION_LISTS: SubstitutionList[] = ['normal', 'denormal', 'person', 'person2', 'gender'];
/** Duplicate-category warnings listed one by one per file before they are summarised. */
const MAX_DUPLICATE_WARNINGS_PER_FILE = 20;

export interface CompileResult {
  bot: Bot;
  diagnostics: AimlDiagnostic[];
}

function asText(content: string | Uint8Array): { text: string; warning?: string } {
  return typeof content === 'string' ? { text: content } : decodeTextBytes(content);
}

function baseName(path: string, ext: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.slice(0, name.length - ext.length);
}

/** Sorts AIML paths into load order. */
export function aimlLoadOrder(paths: readonly string[], learnFile: string): string[] {
  const rank = (p: string) => {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (name === learnFile) return 2;
    if (name === LIVE_TRAINING_FILE) return 1;
    return 0;
  };
  return [...paths].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function compileBot(files: BotFiles, options: CompileOptions = {}): CompileResult {
  const diagnostics: AimlDiagnostic[] = [];
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const paths = Object.keys(files)
    .map((p) => ({ original: p, path: p.replace(/\\/g, '/').replace(/^\.\//, '') }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const properties = new Map<string, string>(Object.entries(DEFAULT_PROPERTIES));
  const pdefaults = new Map<string, string>();
  const sets = new Map<string, PhraseSet>();
  const maps = new Map<string, Map<string, string>>();
  const substitutionPairs = new Map<SubstitutionList, Array<[string, string]>>();
  const aimlPaths: string[] = [];
  const byPath = new Map<string, string | Uint8Array>();

  for (const { original, path } of paths) {
    const content = files[original];
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
      diagnostics.push({ file: path, line: 0, column: 0, message: 'the content must be text or bytes; file ignored', severity: 'error' });
      continue;
    }
    byPath.set(path, content);
    const lower = path.toLowerCase();
    if (lower.endsWith('.aiml')) {
      aimlPaths.push(path);
      continue;
    }
    const { text, warning } = asText(content);
    if (warning) diagnostics.push({ file: path, line: 0, column: 0, message: warning, severity: 'warning' });
    if (lower.endsWith('.set')) {
      const r = readPhrases(text);
      diagnostics.push(...toDiagnostics(path, r.problems));
      sets.set(baseName(path, '.set').toLowerCase(), new WordSet(baseName(path, '.set'), r.phrases));
    } else if (lower.endsWith('.map')) {
      const r = readKeyValues(text, 'map');
      diagnostics.push(...toDiagnostics(path, r.problems));
      const map = new Map<string, string>();
      for (const [k, v] of r.pairs) {
        const key = k.trim().replace(/\s+/g, ' ').toUpperCase();
        if (!map.has(key)) map.set(key, v);
      }
      maps.set(baseName(path, '.map').toLowerCase(), map);
    } else if (lower.endsWith('.substitution')) {
      const name = baseName(path, '.substitution').toLowerCase() as SubstitutionList;
      const r = readSubstitutions(text);
      diagnostics.push(...toDiagnostics(path, r.problems));
      if (SUBSTITUTION_LISTS.includes(name)) substitutionPairs.set(name, [...(substitutionPairs.get(name) ?? []), ...r.pairs]);
      else diagnostics.push({ file: path, line: 0, column: 0, message: `unknown substitution list '${name}' (expected ${SUBSTITUTION_LISTS.join(', ')}); ignored`, severity: 'warning' });
    } else if (lower.endsWith('.properties')) {
      const r = readKeyValues(text, 'property');
      diagnostics.push(...toDiagnostics(path, r.problems));
      for (const [k, v] of r.pairs) properties.set(k.trim().toLowerCase(), v);
    } else if (lower.endsWith('.pdefaults')) {
      const r = readKeyValues(text, 'pdefaults');
      diagnostics.push(...toDiagnostics(path, r.problems));
      for (const [k, v] of r.pairs) pdefaults.set(k.trim(), v);
    } else {
      diagnostics.push({ file: path, line: 0, column: 0, message: 'not a bot file (expected .aiml, .set, .map, .substitution, .properties or .pdefaults); ignored', severity: 'warning' });
    }
  }
  if (!sets.has('number')) sets.set('number', NUMBER_SET);

  // `normal` runs on every input: one linear pass. The template-side lists keep Program AB's pair-by-pair order.
  const substituters = {} as Record<SubstitutionList, TextSubstitution>;
  for (const l of SUBSTITUTION_LISTS) {
    const pairs = substitutionPairs.get(l) ?? [];
    substituters[l] = l === 'normal' ? new Substituter(pairs) : new SequentialSubstituter(pairs);
  }
  const learnFile = properties.get('learn-filename')!.trim() || DEFAULT_LEARN_FILE;
  const maxBytes = Number(properties.get('max-learn-file-size'));
  const learnf: LearnfStore = {
    fileName: learnFile,
    maxBytes: Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : 1_000_000,
    categoriesXml: [],
    sink: options.onLearnf,
  };
  const graph = new PatternGraph();
  const missingSets = new Set<string>();
  const resolveSet = (name: string) => sets.get(name.toLowerCase());
  const data: BotData = {
    name: options.botName ?? properties.get('name') ?? 'bot',
    properties,
    pdefaults,
    sets,
    maps,
    substituters,
    normalizer: new Normalizer(substituters.normal, properties.get('sentence-splitters')),
    graph,
    matcher: new Matcher(graph),
    limits,
    clock: options.clock ?? { now: () => Date.now() },
    learnf,
    defaultGet: properties.get('default-get')!,
    defaultProperty: properties.get('default-property')!,
    defaultMap: properties.get('default-map')!,
    resolveSet,
    diagnostics,
  };

  const patternContext = { property: (n: string) => properties.get(n) };
  for (const path of aimlLoadOrder(aimlPaths, learnFile)) {
    const content = byPath.get(path)!;
    const decoded = typeof content === 'string' ? { text: content } : decodeXmlBytes(content);
    if (decoded.warning) diagnostics.push({ file: path, line: 0, column: 0, message: decoded.warning, severity: 'warning' });
    const text = decoded.text;
    const lines = new LineIndex(text);
    const report = (offset: number, message: string, severity: 'error' | 'warning') => {
      const { line, column } = lines.position(offset);
      diagnostics.push({ file: path, line, column, message, severity });
    };
    const isLearnFile = path.slice(path.lastIndexOf('/') + 1) === learnFile;
    // Categories go into the graph as they are read; if the file turns out broken they are rolled back.
    graph.begin();
    const learnXml: string[] = [];
    const fileDiagnostics = diagnostics.length;
    let duplicates = 0;
    const origin = isLearnFile ? 'learnf' : 'file';
    const wellFormed = readAimlText(text, patternContext, report, (read) => {
      const category = toCategory(read, path, lines.line(read.start), text, origin);
      for (const tokens of [read.pattern, read.that, read.topic]) {
        if (tokens === undefined) continue;
        for (const t of tokens) {
          if (tokenKind(t) !== 'set') continue;
          const name = tokenValue(t);
          if (!resolveSet(name) && !missingSets.has(name)) {
            missingSets.add(name);
            report(read.start, `the bot has no set '${name}' (no sets/${name}.set): patterns using it match nothing`, 'warning');
          }
        }
      }
      const replaced = graph.add(category, read.pattern, read.that, read.topic, resolveSet);
      if (replaced && replaced.file === path) {
        duplicates++;
        if (duplicates <= MAX_DUPLICATE_WARNINGS_PER_FILE) {
          report(read.start, `same pattern, that and topic as line ${replaced.line}: this later category wins`, 'warning');
        }
      }
      if (isLearnFile) learnXml.push(text.slice(read.start, read.end));
    });
    if (!wellFormed) {
      graph.rollback();
      // Only the XML errors matter for a file that was not loaded: drop notes about its categories.
      const kept = diagnostics.splice(fileDiagnostics).filter((d) => d.severity === 'error' || /DOCTYPE|encoding|UTF-8/.test(d.message));
      diagnostics.push(...kept);
      diagnostics.push({ file: path, line: 0, column: 0, message: 'the file is not well-formed XML and was not loaded', severity: 'error' });
      continue;
    }
    graph.commit();
    learnf.categoriesXml.push(...learnXml);
    if (duplicates > MAX_DUPLICATE_WARNINGS_PER_FILE) {
      diagnostics.push({ file: path, line: 0, column: 0, message: `${duplicates} categories in this file repeat an earlier pattern, that and topic of the same file (the later one wins)`, severity: 'warning' });
    }
  }
  return { bot: new Bot(data), diagnostics };
}
