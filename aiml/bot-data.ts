/** The compiled contents of a bot, shared by Bot (public API), the responder and the learn handling. */
import type { Normalizer } from './normalizer.js';
import type { CategoryGraph, CategoryMatcher } from './pattern-graph.js';
import type { TextSubstitution } from './substitutions.js';
import type { SubstitutionList } from './template-ast.js';
import type { EngineLimits } from './types.js';
import type { PhraseSet } from './word-set.js';

export interface LearnfStore {
  /** File name inside aiml/ (the `learn-filename` property, default pand_learn.aiml). */
  fileName: string;
  /** The `max-learn-file-size` property, in bytes of the whole file. */
  maxBytes: number;
  /** XML text of every category in the learn file so far, in order (loaded ones first). */
  categoriesXml: string[];
  /** Set by loadBotDirectory: persists the file; undefined for in-memory bots. */
  sink: ((fileName: string, aimlText: string) => boolean | void) | undefined;
}

export interface BotData {
  name: string;
  properties: Map<string, string>;
  pdefaults: Map<string, string>;
  sets: Map<string, PhraseSet>;
  maps: Map<string, Map<string, string>>;
  substituters: Record<SubstitutionList, TextSubstitution>;
  normalizer: Normalizer;
  graph: CategoryGraph;
  matcher: CategoryMatcher;
  limits: EngineLimits;
  clock: { now(): number };
  learnf: LearnfStore;
  defaultGet: string;
  defaultProperty: string;
  defaultMap: string;
  /** Resolves a set name used in a pattern (case-insensitive). */
  resolveSet(name: string): PhraseSet | undefined;
  // Not the diagnostics: CompileResult hands them to the caller once (Rosie has 2,000 warnings, about 1 MB, that a
  // running bot has no use for).
}
