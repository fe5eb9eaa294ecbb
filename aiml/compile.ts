/**
 * compileBot: turns a bot's files (Pandorabots layout, in memory) into a Bot plus every problem found.
 * A Bot is always returned: a file that is not well-formed is skipped, a broken category is skipped, and
 * each problem is listed with file, line and column.
 *
 * The work is written once, as a step generator (compileBotSteps) that can pause between tags and files:
 * compileBot runs it straight through; compileBotInSlices (compile-in-slices.ts) runs it a few milliseconds
 * at a time so that a server keeps answering while a large bot compiles.
 *
 * Load order is defined: AIML files alphabetically by path, then the learn file (`learn-filename`), then
 * `pand_livetraining.aiml`. On identical pattern + that + topic the later category wins, so what a designer
 * answered in Live Training beats what end users taught with <learnf> (issue 3: Live Training loads last).
 */
import { readAimlTextSteps, toCategory } from './aiml-reader.js';
import { DEFAULT_LEARN_FILE, LIVE_TRAINING_FILE } from './bot-properties.js';
import { readBotStores, type StoreFile } from './bot-stores.js';
import { tokenKind, tokenValue } from './category.js';
import { Bot } from './bot.js';
import type { BotData, LearnfStore } from './bot-data.js';
import { decodeXmlBytes } from './encoding.js';
import { Normalizer } from './normalizer.js';
import { Matcher, PatternGraph } from './pattern-graph.js';
import { DEFAULT_LIMITS, type AimlDiagnostic, type BotFiles, type CompileOptions } from './types.js';
import { LineIndex, runToEnd } from './xml.js';

export { DEFAULT_LEARN_FILE, DEFAULT_PROPERTIES, LIVE_TRAINING_FILE } from './bot-properties.js';

/** Duplicate-category warnings listed one by one per file before they are summarised. */
const MAX_DUPLICATE_WARNINGS_PER_FILE = 20;

export interface CompileResult {
  bot: Bot;
  diagnostics: AimlDiagnostic[];
}

/** Sorts AIML paths into load order. */
export function aimlLoadOrder(paths: readonly string[], learnFile: string): string[] {
  const rank = (p: string) => {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (name === LIVE_TRAINING_FILE) return 2;
    if (name === learnFile) return 1;
    return 0;
  };
  return [...paths].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function compileBot(files: BotFiles, options: CompileOptions = {}): CompileResult {
  return runToEnd(compileBotSteps(files, options));
}

/**
 * compileBot in resumable form: yields whenever `pause` asks for a break (it is asked between files, every
 * few XML tags and every few hundred store rows), returns the result at the end. Nothing outside the
 * generator sees the bot being built, so pausing is safe; the caller must not change `files` meanwhile.
 */
export function* compileBotSteps(files: BotFiles, options: CompileOptions = {}, pause?: () => boolean): Generator<void, CompileResult, void> {
  const diagnostics: AimlDiagnostic[] = [];
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const paths = Object.keys(files)
    .map((p) => ({ original: p, path: p.replace(/\\/g, '/').replace(/^\.\//, '') }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const aimlPaths: string[] = [];
  const storeFiles: StoreFile[] = [];
  const byPath = new Map<string, string | Uint8Array>();
  for (const { original, path } of paths) {
    const content = files[original];
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
      diagnostics.push({ file: path, line: 0, column: 0, message: 'the content must be text or bytes; file ignored', severity: 'error' });
      continue;
    }
    if (path.toLowerCase().endsWith('.aiml')) {
      aimlPaths.push(path);
      byPath.set(path, content);
    } else storeFiles.push({ path, content });
  }
  const { properties, pdefaults, sets, maps, substituters } = yield* readBotStores(storeFiles, diagnostics, pause);

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
    if (pause?.()) yield;
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
    const wellFormed = yield* readAimlTextSteps(text, patternContext, report, (read) => {
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
    }, pause);
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
