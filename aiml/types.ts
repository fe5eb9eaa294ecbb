/** Public types of the AIML engine (re-exported by aiml/index.ts). */
import type { Session } from './session.js';

/**
 * A bot's files keyed by their path in the Pandorabots layout: 'aiml/x.aiml', 'sets/x.set', 'maps/x.map',
 * 'substitutions/normal.substitution', 'system/<bot>.properties', 'system/<bot>.pdefaults'.
 * Bytes (Uint8Array) let the engine honour an AIML file's declared encoding.
 */
export type BotFiles = Record<string, string | Uint8Array>;

export interface AimlDiagnostic {
  file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based; 0 when the problem concerns the whole file. */
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface EngineLimits {
  /** Deepest nesting of srai/sr (and sraix to a bot on the same Platform) within one sentence. */
  maxSraiDepth: number;
  /** Most srai/sr evaluations while answering one sentence. */
  maxSraiCount: number;
  /**
   * Work budget for one whole reply (all sentences): pattern-graph steps of every match plus every template
   * element evaluated. Deterministic (the same input on the same bot always stops at the same point, whatever the
   * machine's load), so it decides before the wall-clock limit, which is only a last resort.
   */
  maxStepsPerReply: number;
  /** Wall-clock budget for one whole reply (all sentences), in milliseconds: the last resort behind maxStepsPerReply. */
  maxMillisPerReply: number;
  /** Most times one <condition> may <loop/>. */
  maxLoopIterations: number;
  /** Most pattern-graph steps for one match: a guard against pathological wildcard backtracking. */
  maxMatchSteps: number;
  /** Words of one input sentence that take part in matching; longer sentences are cut (and reported). */
  maxSentenceWords: number;
  /** Characters one template evaluation may produce before it is cut short. */
  maxOutputChars: number;
  /** Requests, responses and input sentences remembered per session for <input>/<request>/<response>/<that>. */
  historySize: number;
  /** Categories one client may <learn> (per-client, in memory). */
  maxLearnedPerClient: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  maxSraiDepth: 64,
  maxSraiCount: 2000,
  maxStepsPerReply: 200_000,
  maxMillisPerReply: 2000,
  maxLoopIterations: 100,
  maxMatchSteps: 200_000,
  maxSentenceWords: 400,
  maxOutputChars: 100_000,
  historySize: 32,
  maxLearnedPerClient: 1000,
};

export interface CompileOptions {
  /** The bot's name (used for the default properties file name and in diagnostics). */
  botName?: string;
  limits?: Partial<EngineLimits>;
  /** Wall-clock source for the time limit (defaults to Date.now). */
  clock?: { now(): number };
  /**
   * Called after <learnf> added categories, with the full AIML text of the learn file (all learnf categories
   * so far, including those loaded from the file). loadBotDirectory wires this to an atomic file write.
   * Return false to report that the file could not be written (the categories stay learned in memory).
   */
  onLearnf?: (fileName: string, aimlText: string) => boolean | void;
}

export interface RespondOptions {
  /** Epoch milliseconds for <date>/<interval>; default Date.now(). */
  now?: number;
  /** Overrides for the stored that/topic (Pandorabots talk API debug parameters). */
  that?: string;
  topic?: string;
  /** For <random>; default Math.random. Must return a number in [0, 1). */
  random?: () => number;
  /** Asks another bot on the same Platform (for <sraix bot="...">); undefined means it could not answer. */
  sraix?: (bot: string, input: string, session: Session) => string | undefined;
  /** Adds a step-by-step trace to each sentence's metadata. */
  trace?: boolean;
  /** IANA time zone for <date> without a timezone attribute; default the process's zone. */
  timeZone?: string;
  /** Limits for this reply over the bot's own (a Platform's per-bot settings, changed without recompiling). */
  limits?: Partial<EngineLimits>;
}

export type LimitKind = 'depth' | 'count' | 'steps' | 'time';

export interface TraceStep {
  /** srai depth: 0 for the sentence itself. */
  level: number;
  input: string;
  pattern?: string;
  that?: string;
  topic?: string;
  file?: string;
  line?: number;
}

export interface MatchMeta {
  /** The final category: the end of the chain of pure reductions (templates that are just one srai). */
  pattern: string;
  that: string;
  topic: string;
  file: string;
  line?: number;
  /**
   * True when the ultimate default category (pattern `*`, no that, no topic) answered: it was matched by
   * the sentence or on the chain of pure reductions from it (Rosie's `*` is `<srai>UDC</srai>`).
   */
  defaultCategory: boolean;
  /** Inputs of every srai/sr evaluated while answering, in order. */
  srai: string[];
  /** Set when a limit cut the answer short: a plain description of which limit. */
  limit?: string;
  /** True when no category matched at all (the bot has no default category). */
  noMatch?: boolean;
  /** The category the sentence itself matched, before any srai (equal to the final one when no reduction). */
  matched?: { pattern: string; that: string; topic: string; file: string; line?: number };
  trace?: TraceStep[];
}

export interface SentenceReply {
  /** The sentence as the matcher saw it (normalised, upper case). */
  input: string;
  text: string;
  match: MatchMeta;
}

export interface Reply {
  /** The answers to all sentences, joined with one space. */
  text: string;
  sentences: SentenceReply[];
  limitHit?: LimitKind;
}

export interface CategoryInfo {
  pattern: string;
  that: string;
  topic: string;
  file: string;
  line: number;
  /** The template's XML content as written (inner XML of <template>). */
  template: string;
  /** Where it came from: a loaded file, or a <learnf> while the bot ran. */
  origin: 'file' | 'learnf';
}
