/** The AIML 2.0 engine's public API (the Platform and Studio code against exactly this). */
export { compileBot, aimlLoadOrder, DEFAULT_PROPERTIES, LIVE_TRAINING_FILE, DEFAULT_LEARN_FILE } from './compile.js';
export type { CompileResult } from './compile.js';
export { loadBotDirectory, readBotDirectory, writeFileAtomically } from './loader.js';
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
export { PROGRAM_NAME, DEFAULT_LIMIT_RESPONSE } from './responder.js';
export { serializeCategories, parseCategories, escapeTemplateText, validatePattern, validateTemplate } from './category-writer.js';
export type { CategorySpec, ParsedCategory, WriterHeader } from './category-writer.js';
