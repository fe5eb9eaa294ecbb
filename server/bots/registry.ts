import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type AimlDiagnostic, type Bot, type EngineLimits, type Reply, Session, loadBotDirectory } from '../../aiml/index.js';
import type { Clock } from '../../protocol/clock.js';
import type { MatchInfo } from '../../protocol/conversation.js';
import { writeFileAtomicSync } from '../../node-lib/atomic-write.js';
import { type BotFileRef, isValidBaseName, isValidBotName } from './bot-file-names.js';
import { BotStore } from './bot-store.js';
import { BotNotCompiledError, UnknownBotError } from './errors.js';
import { LiveVersions, digestOf } from './live-versions.js';
import { FanOut } from '../fan-out.js';
import { newBotFiles } from './new-bot-files.js';
import { SessionTable } from './session-table.js';
import { STARTER_BOT, readStarterBotFiles } from './starter-bot.js';

export { BotExistsError, BotNotCompiledError, FileNotFoundError, UnknownBotError } from './errors.js';

export interface BotAnswer {
  text: string;
  /** One per input sentence. */
  match: MatchInfo[];
  /** Set when an engine limit (srai depth, srai count, steps, time) cut the reply short. */
  limit?: string;
}
export type BotChange = 'created' | 'reloaded' | 'deleted';

/** The Platform's only way to run bots. */
export interface BotRegistry {
  /** Names of bots that can talk now (they compiled at least once), sorted. */
  list(): string[];
  has(bot: string): boolean;
  /**
   * Answer one user input for one client. The client's AIML session (predicates, that, <learn>) is kept per
   * (bot, clientKey) and survives hot swaps. Synchronous (engine limits bound it). Throws UnknownBotError.
   * Sessions idle for `sessionIdleMs` are forgotten unless `persist` is set (then they are kept on disk and
   * survive restarts, like the predicates of Pandorabots' atalk clients).
   */
  respond(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string; persist?: boolean }): BotAnswer;
  onChange(listener: (bot: string, change: BotChange) => void): () => void;
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
  /** Create a bot with Pandorabots' starting files (not compiled yet). Throws BotExistsError. */
  createBot(bot: string): void;
  /** Delete a bot, its files, compiled versions and sessions. Throws UnknownBotError. */
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
  /** Like respond, with the Pandorabots talk options. Throws UnknownBotError, BotNotCompiledError. */
  talk(bot: string, clientKey: string, input: string, options?: TalkOptions): TalkResult;
  /** Forget a client's predicates (the talk API's `reset=true`). */
  resetSession(bot: string, clientKey: string): void;
  /** The compiled bot answering now, for read-only questions (categories, properties). */
  liveBot(bot: string): Bot | undefined;
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
}

const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** How deep `<sraix>` may chain between bots on this Platform (A asks B asks A ...). */
const MAX_SRAIX_DEPTH = 3;
const DEFAULT_LEARN_FILE = 'pand_learn.aiml';

export async function openBotRegistry(options: BotRegistryOptions): Promise<ManagedBotRegistry> {
  const registry = new DiskBotRegistry(options);
  await registry.start(options.seedStarterBot ?? false);
  return registry;
}

interface LiveBot {
  bot: Bot;
  version: number;
}

class DiskBotRegistry implements ManagedBotRegistry {
  private readonly store: BotStore;
  private readonly versions: LiveVersions;
  private readonly sessions: SessionTable<Session>;
  private readonly live = new Map<string, LiveBot>();
  private readonly dirty = new Map<string, boolean>();
  /** Bumped by every source change, so a verify that raced a write knows the bot is still dirty. */
  private readonly generation = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly listeners = new FanOut<[bot: string, change: BotChange]>((error, bot, change) => this.logger.error({ err: error, bot, change }, 'a bot change listener failed'));
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly engineLimits: (bot: string) => Partial<EngineLimits> | undefined;
  private readonly botsRoot: string;
  readonly dataDir: string;
  private sraixDepth = 0;
  private closed = false;

  constructor(options: BotRegistryOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.engineLimits = options.engineLimits ?? (() => undefined);
    mkdirSync(options.dataDir, { recursive: true });
    this.dataDir = options.dataDir;
    this.botsRoot = join(options.dataDir, 'bots');
    this.firstRun = !existsSync(this.botsRoot);
    this.store = new BotStore(this.botsRoot);
    this.versions = new LiveVersions(join(options.dataDir, 'compiled'), { logger: options.logger, now: () => options.clock.now() });
    this.sessions = new SessionTable<Session>({
      dir: join(options.dataDir, 'sessions'),
      clock: options.clock,
      idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
      codec: {
        toJSON: (session) => session.toJSON(),
        fromJSON: (json) => Session.fromJSON(json as Parameters<typeof Session.fromJSON>[0]),
      },
      onError: (error, what) => this.logger.error({ err: error }, `bot sessions: failed ${what}`),
    });
  }

  private readonly firstRun: boolean;

  async start(seedStarterBot: boolean): Promise<void> {
    if (seedStarterBot && this.firstRun && !this.store.exists(STARTER_BOT)) {
      this.store.create(STARTER_BOT, readStarterBotFiles());
      this.logger.info({ bot: STARTER_BOT }, 'seeded the starter bot');
    }
    for (const bot of this.store.list()) {
      const state = this.versions.state(bot);
      this.dirty.set(bot, state.dirty);
      if (!this.versions.known(bot)) {
        // A bot folder the registry never saw (seeded, or copied in by hand): compile it once.
        // Real-world bots often carry a few broken categories (ALICE does): rather than leave a bot someone put
        // here offline, run what compiles and keep it marked uncompiled, so verify lists what to fix.
        const result = await this.serialize(bot, () => this.compile(bot, { acceptErrors: true }));
        if (!result.ok) this.logger.warn({ bot, errors: result.errors.slice(0, 5) }, 'bot has errors: running the categories that compiled; verify lists every error');
        continue;
      }
      if (state.version === null) continue;
      await this.loadLive(bot, state.version);
    }
  }

  // ---- BotRegistry (the Platform's view)

  list(): string[] {
    return [...this.live.keys()].sort();
  }

  has(bot: string): boolean {
    return this.live.has(bot);
  }

  respond(bot: string, clientKey: string, input: string, options: { that?: string; topic?: string; persist?: boolean } = {}): BotAnswer {
    return this.talk(bot, clientKey, input, { ...options, recent: true }).answer;
  }

  onChange(listener: (bot: string, change: BotChange) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.queues.values()]);
    this.sessions.close();
    this.listeners.clear();
  }

  // ---- management (the Pandorabots API's view)

  allBots(): string[] {
    return this.store.list();
  }

  exists(bot: string): boolean {
    return this.store.exists(bot);
  }

  status(bot: string): BotStatus {
    const state = this.versions.state(bot);
    const corrupt = this.versions.corruptState(bot);
    return {
      live: this.live.has(bot),
      dirty: this.dirty.get(bot) ?? true,
      ...(state.compiledAt ? { compiledAt: state.compiledAt } : {}),
      ...(corrupt ? { stateFileReset: { keptAt: corrupt.keptAt, reason: corrupt.reason, at: corrupt.at } } : {}),
    };
  }

  createBot(bot: string): void {
    this.store.create(bot, newBotFiles(bot));
    this.changed(bot);
  }

  deleteBot(bot: string): Promise<void> {
    return this.serialize(bot, async () => {
      const removed = this.store.delete(bot);
      this.sessions.dropBot(bot);
      this.dirty.delete(bot);
      this.generation.delete(bot);
      const wasLive = this.live.delete(bot);
      if (wasLive) this.emit(bot, 'deleted');
      await Promise.all([removed, this.versions.remove(bot)]);
    });
  }

  listFiles(bot: string): BotFileRef[] {
    return this.store.listFiles(bot);
  }

  readFile(bot: string, ref: BotFileRef): Buffer {
    return this.store.read(bot, ref);
  }

  readAllFiles(bot: string): Array<{ name: string; ref: BotFileRef; content: Buffer }> {
    return this.store.readAll(bot);
  }

  writeFile(bot: string, ref: BotFileRef, content: Uint8Array): void {
    this.store.write(bot, ref, content);
    this.changed(bot);
  }

  removeFile(bot: string, ref: BotFileRef): void {
    this.store.remove(bot, ref);
    this.changed(bot);
  }

  verify(bot: string): Promise<VerifyResult> {
    if (!this.store.exists(bot)) return Promise.reject(new UnknownBotError(bot));
    return this.serialize(bot, () => this.compile(bot));
  }

  reload(bot: string): Promise<void> {
    // What runs is always the latest compiled version already (verify swaps it in), so a reload only has work to
    // do when the compiled copy on disk is not the one in memory; a client sending reload=true on every call
    // costs nothing.
    return this.serialize(bot, async () => {
      const { version } = this.versions.state(bot);
      if (version !== null && this.live.get(bot)?.version !== version) await this.loadLive(bot, version);
    });
  }

  talk(bot: string, clientKey: string, input: string, options: TalkOptions = {}): TalkResult {
    const entry = this.live.get(bot);
    if (!entry) throw new UnknownBotError(bot);
    if (!options.recent && this.dirty.get(bot)) throw new BotNotCompiledError(bot);
    const session = this.sessions.get(bot, clientKey, options.persist ?? false, () => entry.bot.createSession(clientKey));
    const limits = this.engineLimits(bot);
    const reply = entry.bot.respond(session, input, {
      now: this.clock.now(),
      ...(limits !== undefined ? { limits } : {}),
      ...(options.that !== undefined ? { that: options.that } : {}),
      ...(options.topic !== undefined ? { topic: options.topic } : {}),
      ...(options.trace ? { trace: true } : {}),
      sraix: (target, text, from) => this.sraix(bot, target, text, from),
    });
    this.sessions.saved(bot, clientKey);
    return { answer: answerOf(reply), reply, bot: entry.bot };
  }

  resetSession(bot: string, clientKey: string): void {
    this.sessions.reset(bot, clientKey);
  }

  liveBot(bot: string): Bot | undefined {
    return this.live.get(bot)?.bot;
  }

  // ---- internals

  /** `<sraix bot="botname">` or `bot="app_id/botname"`: another bot on this Platform answers, with its own session. */
  private sraix(fromBot: string, target: string, text: string, from: Session): string | undefined {
    const name = target.includes('/') ? target.slice(target.lastIndexOf('/') + 1) : target;
    if (!isValidBotName(name) || !this.live.has(name) || this.sraixDepth >= MAX_SRAIX_DEPTH) return undefined;
    this.sraixDepth++;
    try {
      return this.talk(name, `sraix:${fromBot}:${from.clientId}`, text, { recent: true }).answer.text;
    } finally {
      this.sraixDepth--;
    }
  }

  /**
   * Compile the source files into a new version. With errors, the live version stays, unless `acceptErrors` (the
   * first load of a bot folder found on disk) and something compiled: then that goes live, still marked dirty.
   * Copying and compiling are asynchronous and run in slices, so conversations (this bot's live version included)
   * keep being answered meanwhile; the swap itself is one synchronous step.
   */
  private async compile(bot: string, { acceptErrors = false } = {}): Promise<VerifyResult> {
    const generation = this.generation.get(bot) ?? 0;
    const previous = this.live.get(bot);
    const learnedAtCopy = this.keepLearnedCategories(bot, previous, this.versions.state(bot).learnDigest);
    let prepared: { version: number; dir: string };
    try {
      prepared = await this.versions.prepare(bot, this.store.botDir(bot));
    } catch (error) {
      // A file removed by an upload while it was being copied, a full disk: nothing was compiled.
      return this.failed(bot, undefined, [diagnosticOf(`the bot's files could not be copied for compiling (${messageOf(error)}); verify again`)], []);
    }
    const { version, dir } = prepared;
    let bot_: Bot;
    let diagnostics: AimlDiagnostic[];
    try {
      const result = await loadBotDirectory(dir, { botName: bot, clock: this.clock });
      bot_ = result.bot;
      diagnostics = result.diagnostics;
    } catch (error) {
      return this.failed(bot, version, [diagnosticOf(messageOf(error))], []);
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity !== 'error');
    const acceptAnyway = acceptErrors && !this.live.has(bot) && bot_.categoryCount > 0;
    if ((errors.length > 0 && !acceptAnyway) || this.closed || !this.store.exists(bot)) {
      this.logger.info({ bot, errors: errors.length }, 'verify failed; the live version keeps running');
      return this.failed(bot, version, errors, warnings);
    }
    this.versions.commit(bot, version, this.clock.now(), this.learnDigest(bot_, dir));
    const stillDirty = errors.length > 0 || (this.generation.get(bot) ?? 0) !== generation;
    if (stillDirty) this.versions.markDirty(bot);
    this.dirty.set(bot, stillDirty);
    this.live.set(bot, { bot: bot_, version });
    // The old version kept answering while this one compiled; what it learned with <learnf> meanwhile goes back to
    // the source folder and into the next verify.
    if (previous && this.keepLearnedCategories(bot, previous, learnedAtCopy) !== learnedAtCopy) this.changed(bot);
    this.logger.info({ bot, version, categories: bot_.categoryCount }, previous ? 'bot reloaded' : 'bot is live');
    this.emit(bot, previous ? 'reloaded' : 'created');
    await this.versions.dropOtherVersions(bot, version);
    return { ok: errors.length === 0, errors, warnings };
  }

  /** A compile that does not go live: its copy is thrown away and the bot stays "uncompiled". */
  private async failed(bot: string, version: number | undefined, errors: AimlDiagnostic[], warnings: AimlDiagnostic[]): Promise<VerifyResult> {
    if (version !== undefined) await this.versions.discard(bot, version);
    if (this.store.exists(bot)) this.versions.markFailed(bot);
    this.dirty.set(bot, true);
    return { ok: false, errors, warnings };
  }

  private async loadLive(bot: string, version: number): Promise<void> {
    const dir = this.versions.versionDir(bot, version);
    try {
      const { bot: compiled, diagnostics } = await loadBotDirectory(dir, { botName: bot, clock: this.clock });
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) this.logger.warn({ bot, errors: errors.slice(0, 5) }, 'the compiled copy has errors; running the categories that load');
      this.live.set(bot, { bot: compiled, version });
    } catch (error) {
      this.logger.error({ err: error, bot }, 'cannot load the compiled bot; it stays offline until verify succeeds');
    }
  }

  /**
   * `<learnf>` writes into the live copy's learn file. Before compiling a new version from the source files, bring
   * that file back into the source folder when the bot learned something since `knownDigest` (the file as it was
   * when the live version was compiled), so learned categories survive every publish (and show in the API's file
   * list). Returns the digest of the live learn file now.
   */
  private keepLearnedCategories(bot: string, live: LiveBot | undefined, knownDigest: string | undefined): string | undefined {
    if (!live) return knownDigest;
    const name = live.bot.property('learn-filename') ?? DEFAULT_LEARN_FILE;
    if (!name.endsWith('.aiml') || !isValidBaseName(name.slice(0, -5))) return knownDigest;
    const livePath = join(this.versions.versionDir(bot, live.version), 'aiml', name);
    if (!existsSync(livePath)) return knownDigest;
    const content = readFileSync(livePath);
    const digest = digestOf(content);
    if (digest !== knownDigest) writeFileAtomicSync(join(this.store.botDir(bot), 'aiml', name), content);
    return digest;
  }

  private learnDigest(bot: Bot, dir: string): string | undefined {
    const name = bot.property('learn-filename') ?? DEFAULT_LEARN_FILE;
    const path = join(dir, 'aiml', name);
    return existsSync(path) ? digestOf(readFileSync(path)) : undefined;
  }

  private changed(bot: string): void {
    this.generation.set(bot, (this.generation.get(bot) ?? 0) + 1);
    this.dirty.set(bot, true);
    this.versions.markDirty(bot);
  }

  private emit(bot: string, change: BotChange): void {
    this.listeners.emit(bot, change);
  }

  /** One management operation per bot at a time (verify, reload, delete), in call order. */
  private serialize<T>(bot: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(bot) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(bot, settled);
    void settled.then(() => {
      if (this.queues.get(bot) === settled) this.queues.delete(bot);
    });
    return next;
  }
}

function diagnosticOf(message: string): AimlDiagnostic {
  return { file: '', line: 0, column: 0, message, severity: 'error' };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function answerOf(reply: Reply): BotAnswer {
  return {
    text: reply.text,
    match: reply.sentences.map((s) => ({
      pattern: s.match.pattern,
      that: s.match.that,
      topic: s.match.topic,
      file: s.match.file,
      defaultCategory: s.match.defaultCategory,
      srai: s.match.srai,
      ...(s.match.limit ? { limit: s.match.limit } : {}),
    })),
    ...(reply.limitHit ? { limit: reply.limitHit } : {}),
  };
}
