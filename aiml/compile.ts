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
import { aimlLoadOrder, loadAimlFilesSteps, sortBotFiles } from './aiml-files.js';
import { DEFAULT_LEARN_FILE } from './bot-properties.js';
import { readBotStores } from './bot-stores.js';
import { Bot } from './bot.js';
import type { BotData, LearnfStore } from './bot-data.js';
import { Normalizer } from './normalizer.js';
import { Matcher, PatternGraph } from './pattern-graph.js';
import { DEFAULT_LIMITS, type AimlDiagnostic, type BotFiles, type CompileOptions } from './types.js';
import { runToEnd } from './xml.js';

export { DEFAULT_LEARN_FILE, DEFAULT_PROPERTIES, LIVE_TRAINING_FILE } from './bot-properties.js';
export { aimlLoadOrder } from './aiml-files.js';

export interface CompileResult {
  bot: Bot;
  diagnostics: AimlDiagnostic[];
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
  const { aimlPaths, storeFiles, aimlContent } = sortBotFiles(files, diagnostics);
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
  };

  const target = { graph, properties, resolveSet, learnFile, learnXml: learnf.categoriesXml, diagnostics, missingSets: new Set<string>() };
  yield* loadAimlFilesSteps(aimlLoadOrder(aimlPaths, learnFile), aimlContent, target, pause);
  return { bot: new Bot(data), diagnostics };
}
