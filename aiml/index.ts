/**
 * The AIML 2.0 engine's public API (the Platform and Studio code against exactly this).
 *
 * Behaviour where engines differ, chosen here (Pandorabots / Program AB lineage unless noted):
 * - Matching: `$word > # > _ > word > <set> > ^ > *`, wildcards shortest first, sets longest phrase first,
 *   backtracking; later category wins on identical pattern + that + topic; files load alphabetically, then
 *   the learn file, then pand_livetraining.aiml.
 * - Normalisation: `normal` substitutions (one pass, longest match), split on `sentence-splitters`, then
 *   punctuation and the ASCII symbols $ ^ < > = + | ~ separate words, apostrophes join them ("it's" -> ITS),
 *   upper case. Pattern words are normalised the same way, so a normalised input is always a valid pattern.
 * - A wildcard that matched zero words gives ""; a <set> capture gives the phrase as written in the set.
 * - person, person2, gender, denormal: pairs applied one after another, as Program AB does.
 * - An empty that or topic is matched as UNKNOWN.
 * - <input/> is the current sentence; <request/> and <response/> (index 1) are the previous exchange;
 *   <that index="n,m"/> is sentence m from the end of the n-th previous reply.
 * - <condition value="*"> needs a non-empty value; other values compare case-insensitively with the value
 *   (default-get when unset).
 * - <first>/<rest> of nothing give NIL; <program/> gives PROGRAM_NAME; <id/> gives the session's client id.
 * - Unknown elements pass through as XML with evaluated content (`<x/>` when empty, attributes in order).
 * - srai text is matched without substitutions or sentence splitting; sraix without an answer uses its
 *   `default`, else srai `SRAIXFAILED <input>`.
 * - Overlays: bot.withOverlay(files) shares the compiled bot and adds AIML files compiled on their own (cost of
 *   the files added), answering exactly as if they had been loaded last (match keys follow the match order).
 * - Compiling: compileBot runs in one go; compileBotInSlices and loadBotDirectory run the same work a few
 *   milliseconds at a time and give the event loop a turn between slices (a server keeps answering).
 * - Limits (EngineLimits) abandon the sentence with the `limit-response` property (or
 *   DEFAULT_LIMIT_RESPONSE) and say which limit in Reply.limitHit and MatchMeta.limit; srai depth replaces only
 *   the srai that hit it; a deterministic step budget decides before the wall-clock limit.
 * - nullstar, the no-match text, <size/>, repeated map keys, phrases in two sets, repeated fallbacks: see
 *   aiml/README.md, "Choices where engines differ".
 */
export { compileBot, aimlLoadOrder, DEFAULT_PROPERTIES, LIVE_TRAINING_FILE, DEFAULT_LEARN_FILE } from './compile.js';
export type { CompileResult } from './compile.js';
export { compileBotInSlices, DEFAULT_SLICE_MS } from './compile-in-slices.js';
export type { SliceOptions } from './compile-in-slices.js';
export { loadBotDirectory, readBotDirectory } from './loader.js';
export { Bot } from './bot.js';
export { Session } from './session.js';
export type { SessionJSON, LearnedCategorySource } from './session.js';
export { DEFAULT_LIMITS } from './types.js';
export type {
  AimlDiagnostic,
  BotFiles,
  CategoryInfo,
  CompileOptions,
  EngineLimits,
  LimitKind,
  MatchMeta,
  Reply,
  RespondOptions,
  SentenceReply,
  TraceStep,
} from './types.js';
export { PROGRAM_NAME, DEFAULT_LIMIT_RESPONSE, DEFAULT_NO_MATCH_RESPONSE } from './responder.js';
export {
  serializeCategories,
  parseCategories,
  escapeTemplateText,
  validatePattern,
  validateTemplate,
  validateCategoryField,
  InvalidCategoryError,
  ValidatedFieldCache,
} from './category-writer.js';
export type { CategorySpec, CategoryField, CategoryProblem, ParsedCategory, SerializeOptions, WriterHeader } from './category-writer.js';
