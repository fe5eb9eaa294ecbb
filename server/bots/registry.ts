/**
 * The bot registry's contract, what the Platform and the Pandorabots API program against: running bots
 * (BotRegistry) and managing their files and compiled versions (ManagedBotRegistry), and `openBotRegistry`, the one
 * way to get one. The parts live beside it: running-bots.ts (the bots that talk, swapped without dropping
 * sessions), bot-compiler.ts (compile and verify), source-changes.ts, bot-operation-queue.ts, and
 * disk-bot-registry.ts which wires them together.
 */
import type { Logger } from 'pino';
import type { AimlDiagnostic, Bot, EngineLimits, Reply } from '../../aiml/index.js';
import type { LearnedLayer } from '../../aiml/learned/index.js';
import type { Clock } from '../../protocol/clock.js';
import type { MatchInfo } from '../../protocol/conversation.js';
import type { BotFileRef } from './bot-file-names.js';
import type { ClientStateStore } from './client-state-store.js';
import { DiskBotRegistry } from './disk-bot-registry.js';


export interface BotAnswer {
  text: string;
  /** One per input sentence. */
  match: MatchInfo[];
  /** Set when an engine limit (srai depth, srai count, steps, time) cut the reply short. */
  limit?: string;
}
export type BotChange = 'created' | 'reloaded' | 'deleted';
/**
 * Where a change was made: `here` (this instance's API, or a single Platform), or `elsewhere` (another instance of a
 * cluster published it and this one followed). Designers are told of a change once, by the instance that made it.
 */
export type BotChangeOrigin = 'here' | 'elsewhere';

/** The Platform's only way to run bots. */
export interface BotRegistry {
  /** Names of bots that can talk now (they compiled at least once), sorted. */
  list(): string[];
  has(bot: string): boolean;
  /**
   * Answer one user input for one client. The client's AIML session (predicates, that, <learn>) is kept per
   * (bot, clientKey) and survives hot swaps. Synchronous (engine limits bound it). Throws the bot store error unknown_bot.
   * Sessions idle for `sessionIdleMs` are forgotten unless `persist` is set (then they are kept on disk and
   * survive restarts, like the predicates of Pandorabots' atalk clients).
   */
  respond(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string; persist?: boolean }): BotAnswer;
  /**
   * Like respond, for a client whose state must survive a move to another Platform instance (Landing Page and widget
   * users): restores the client's saved state when this instance does not have its latest, answers, and resolves
   * once the new state is saved, so a reply is never stored before the state it leaves behind. Rejects when the
   * state cannot be read or saved (the database is lost): then the reply must not be sent.
   */
  answer(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string }): Promise<BotAnswer>;
  /**
   * The same in two steps, for a caller that must not wait for one client's save before answering the next (the bot
   * reply worker): resolves with the answer once the client's state is restored, and `stateSaved` settles when the new
   * state is stored. Commit the reply only after `stateSaved` resolved.
   */
  respondSaving(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string }): Promise<{ answer: BotAnswer; stateSaved: Promise<void> }>;
  onChange(listener: (bot: string, change: BotChange, origin?: BotChangeOrigin) => void): () => void;
  close(): Promise<void>;
}

export interface TalkOptions {
  that?: string;
  topic?: string;
  /** Keep the session on disk (see BotRegistry.respond). */
  persist?: boolean;
  /** Talk even when the source files changed since the last verify (Pandorabots' `recent=true`). */
  recent?: boolean;
  /** Ask the engine for its recursion trace. */
  trace?: boolean;
}

export interface TalkResult {
  answer: BotAnswer;
  /** The engine's reply, with per-sentence input and match details (and the trace when asked). */
  reply: Reply;
  /** The compiled bot that answered. */
  bot: Bot;
  /** Resolves when the client's state after this reply is saved (at once for a session kept in memory only). */
  stateSaved: Promise<void>;
}

export interface VerifyResult {
  ok: boolean;
  /** Every error, with file, line and column; empty when ok. */
  errors: AimlDiagnostic[];
  warnings: AimlDiagnostic[];
}

export interface BotStatus {
  /** It has a compiled version that can talk. */
  live: boolean;
  /** The source files changed since the last successful verify. */
  dirty: boolean;
  compiledAt?: number;
  /** Its state.json was found corrupt since the Platform started: put aside there, and the bot compiled from its files. */
  stateFileReset?: { keptAt: string; reason: string; at: number };
}

/**
 * The registry as the Pandorabots API uses it: the Platform's BotRegistry plus bot and file management. What
 * `openBotRegistry` returns; pass it to `createPandorabotsApi` as is.
 */
export interface ManagedBotRegistry extends BotRegistry {
  /** The Platform data directory the registry keeps its bots in. */
  readonly dataDir: string;
  /** Every bot with files, compiled or not, sorted. */
  allBots(): string[];
  exists(bot: string): boolean;
  status(bot: string): BotStatus;
  /** Create a bot with Pandorabots' starting files (not compiled yet). Throws the bot store error bot_exists. */
  createBot(bot: string): void;
  /** Delete a bot, its files, compiled versions and sessions. Throws the bot store error unknown_bot. */
  deleteBot(bot: string): Promise<void>;
  listFiles(bot: string): BotFileRef[];
  readFile(bot: string, ref: BotFileRef): Buffer;
  readAllFiles(bot: string): Array<{ name: string; ref: BotFileRef; content: Buffer }>;
  /** Write a source file (atomically; content checked). The live bot is unchanged until `verify`. */
  writeFile(bot: string, ref: BotFileRef, content: Uint8Array): void;
  removeFile(bot: string, ref: BotFileRef): void;
  /**
   * Compile the source files. On success the new version replaces the live one instantly, keeping every session;
   * on failure the live version keeps running and every error is returned.
   */
  verify(bot: string): Promise<VerifyResult>;
  /** Make sure the latest compiled version is the one in memory (the talk API's `reload=true`). */
  reload(bot: string): Promise<void>;
  /** Like respond, with the Pandorabots talk options. Throws the bot store errors unknown_bot and bot_not_compiled. */
  talk(bot: string, clientKey: string, input: string, options?: TalkOptions): TalkResult;
  /** Brings a client's saved state into memory before a synchronous `talk` (see RunningBots.loadSession). */
  loadSession(bot: string, clientKey: string, persist: boolean): Promise<void>;
  /** Forget a client's predicates (the talk API's `reset=true`); resolves when the store has forgotten them too. */
  resetSession(bot: string, clientKey: string): Promise<void>;
  /** The compiled bot answering now, for read-only questions (categories, properties). */
  liveBot(bot: string): Bot | undefined;
  /**
   * The learned-categories hook (server/training): the layer of the bot's learned categories on top of its live
   * version (carried onto every version compiled later); each put/remove/replace is live at once.
   */
  learnedLayer(bot: string): LearnedLayer | undefined;
  /** The live version with its learned layer: what answers users now. */
  answeringBot(bot: string): Bot | undefined;
  /**
   * Writes the bot's `pand_livetraining.aiml` (atomically), the approved learned set the layer already serves: the
   * bot's files do not count as changed since the last verify for it.
   */
  writeLearnedFile(bot: string, content: Uint8Array): void;
  /** Tells the compiler which `pand_livetraining.aiml` is the learned layer's own (left out of compiled versions). */
  setLearnedFileOwner(isOurs: (bot: string, content: Buffer) => boolean): void;
}

export interface BotRegistryOptions {
  /** Bots live in `<dataDir>/bots/<name>/` in the Pandorabots layout. */
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** On first run (no `<dataDir>/bots` yet) copy resources/starter-bot into `<dataDir>/bots/starter`. */
  seedStarterBot?: boolean;
  /** How long an idle, non-persistent client session is kept. Default 30 minutes (Pandorabots' session idle). */
  sessionIdleMs?: number;
  /** A bot's engine limits (its Live Training settings), read for every reply: a change applies to the next one. */
  engineLimits?: (bot: string) => Partial<EngineLimits> | undefined;
  /**
   * Where client states are kept: the Platform passes its storage (`StorageClientStates`), so they survive a move to
   * another instance. Default: files in `<dataDir>/sessions`.
   */
  clientStates?: ClientStateStore;
}

export async function openBotRegistry(options: BotRegistryOptions): Promise<ManagedBotRegistry> {
  const registry = new DiskBotRegistry(options);
  await registry.start(options.seedStarterBot ?? false);
  return registry;
}
