/**
 * Loading AIML files into a pattern graph, shared by compileBot (a whole bot) and Bot.withOverlay (extra
 * files on top of a compiled bot), so both read, report and roll back a file in exactly the same way.
 */
import { readAimlTextSteps, toCategory } from './aiml-reader.js';
import { LIVE_TRAINING_FILE } from './bot-properties.js';
import type { StoreFile } from './bot-stores.js';
import { tokenKind, tokenValue } from './category.js';
import { decodeXmlBytes } from './encoding.js';
import type { PatternGraph } from './pattern-graph.js';
import type { AimlDiagnostic, BotFiles } from './types.js';
import { LineIndex } from './xml.js';
import type { PhraseSet } from './word-set.js';

/** Duplicate-category warnings listed one by one per file before they are summarised. */
const MAX_DUPLICATE_WARNINGS_PER_FILE = 20;

export interface SortedBotFiles {
  /** AIML paths (normalised: forward slashes, no leading ./), alphabetically; see aimlLoadOrder for loading. */
  aimlPaths: string[];
  /** Everything else: sets, maps, substitutions, properties. */
  storeFiles: StoreFile[];
  aimlContent: Map<string, string | Uint8Array>;
}

/** Splits bot files into AIML and the rest; content that is neither text nor bytes is reported and ignored. */
export function sortBotFiles(files: BotFiles, diagnostics: AimlDiagnostic[]): SortedBotFiles {
  const paths = Object.keys(files)
    .map((p) => ({ original: p, path: p.replace(/\\/g, '/').replace(/^\.\//, '') }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const aimlPaths: string[] = [];
  const storeFiles: StoreFile[] = [];
  const aimlContent = new Map<string, string | Uint8Array>();
  for (const { original, path } of paths) {
    const content = files[original];
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
      diagnostics.push({ file: path, line: 0, column: 0, message: 'the content must be text or bytes; file ignored', severity: 'error' });
      continue;
    }
    if (path.toLowerCase().endsWith('.aiml')) {
      aimlPaths.push(path);
      aimlContent.set(path, content);
    } else storeFiles.push({ path, content });
  }
  return { aimlPaths, storeFiles, aimlContent };
}

/** Sorts AIML paths into load order: alphabetically, then the learn file, then pand_livetraining.aiml. */
export function aimlLoadOrder(paths: readonly string[], learnFile: string): string[] {
  const rank = (p: string) => {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (name === LIVE_TRAINING_FILE) return 2;
    if (name === learnFile) return 1;
    return 0;
  };
  return [...paths].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface AimlLoadTarget {
  graph: PatternGraph;
  properties: ReadonlyMap<string, string>;
  resolveSet(name: string): PhraseSet | undefined;
  /** The learn file's name: its categories are marked as learnf and their XML is kept in learnXml. */
  learnFile: string;
  learnXml: string[];
  diagnostics: AimlDiagnostic[];
  /** Set names already reported missing (each is reported once). */
  missingSets: Set<string>;
}

/**
 * Loads AIML files, in the order given, into target.graph. Categories go into the graph as they are read; a file
 * that turns out not to be well-formed is rolled back and reported. Yields whenever `pause` asks for a break.
 */
export function* loadAimlFilesSteps(
  paths: readonly string[],
  content: ReadonlyMap<string, string | Uint8Array>,
  target: AimlLoadTarget,
  pause?: () => boolean,
): Generator<void, void, void> {
  const { graph, diagnostics, missingSets, resolveSet, learnFile } = target;
  const patternContext = { property: (n: string) => target.properties.get(n) };
  for (const path of paths) {
    if (pause?.()) yield;
    const bytes = content.get(path)!;
    const decoded = typeof bytes === 'string' ? { text: bytes } : decodeXmlBytes(bytes);
    if (decoded.warning) diagnostics.push({ file: path, line: 0, column: 0, message: decoded.warning, severity: 'warning' });
    const text = decoded.text;
    const lines = new LineIndex(text);
    const report = (offset: number, message: string, severity: 'error' | 'warning') => {
      const { line, column } = lines.position(offset);
      diagnostics.push({ file: path, line, column, message, severity });
    };
    const isLearnFile = path.slice(path.lastIndexOf('/') + 1) === learnFile;
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
    target.learnXml.push(...learnXml);
    if (duplicates > MAX_DUPLICATE_WARNINGS_PER_FILE) {
      diagnostics.push({ file: path, line: 0, column: 0, message: `${duplicates} categories in this file repeat an earlier pattern, that and topic of the same file (the later one wins)`, severity: 'warning' });
    }
  }
}
