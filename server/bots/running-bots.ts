import { FanOut } from '../fan-out.js';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type Bot, type EngineLimits, type Reply, Session } from '../../aiml/index.js';
import { LearnedLayer } from '../../aiml/learned/index.js';
import type { Clock } from '../../protocol/clock.js';
import { isValidBotName } from './bot-file-names.js';
import type { ClientStateStore } from './client-state-store.js';
import { FileClientStates } from './file-client-states.js';
import { unknownBot } from './errors.js';
import type { BotAnswer, BotChange, TalkOptions, TalkResult } from './registry.js';
import { SessionTable } from './session-table.js';

/** How deep `<sraix>` may chain between bots on this Platform (A asks B asks A ...). */
const MAX_SRAIX_DEPTH = 3;
const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

/** One bot's compiled version in memory, and which version on disk it is. */
export interface LiveBot {
  bot: Bot;
  version: number;
}

export interface RunningBotsOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** How long an idle, non-persistent client session is kept. */
  sessionIdleMs?: number;
  /** A bot's engine limits, read for every reply: a change applies to the next one. */
  engineLimits?: (bot: string) => Partial<EngineLimits> | undefined;
  /** Where persistent client states are kept; default files in `<dataDir>/sessions`. */
  clientStates?: ClientStateStore;
}

/**
 * The bots that can talk now: one compiled version per bot, answering each client in its own AIML session. A new
 * compiled version is swapped in in one synchronous step, and the sessions (kept per bot and client, not per
 * version) carry over, so no conversation loses its predicates on a publish. Compiling lives elsewhere
 * (bot-compiler.ts): this only runs what it is given.
 */
export class RunningBots {
  private readonly live = new Map<string, LiveBot>();
  private readonly sessions: SessionTable<Session>;
  private readonly listeners: FanOut<[bot: string, change: BotChange]>;
  private readonly engineLimits: (bot: string) => Partial<EngineLimits> | undefined;
  private sraixDepth = 0;
  /** Per bot, the learned layer (the Platform's learned categories) on its live version. */
  private readonly layers = new Map<string, LearnedLayer>();

  constructor(private readonly o: RunningBotsOptions) {
    this.engineLimits = o.engineLimits ?? (() => undefined);
    this.listeners = new FanOut((error, bot, change) => o.logger.error({ err: error, bot, change }, 'a bot change listener failed'));
    this.sessions = new SessionTable<Session>({
      store: o.clientStates ?? new FileClientStates(join(o.dataDir, 'sessions')),
      clock: o.clock,
      idleMs: o.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
      codec: {
        toJSON: (session) => session.toJSON(),
        fromJSON: (json) => Session.fromJSON(json as Parameters<typeof Session.fromJSON>[0]),
      },
      onError: (error, what) => o.logger.error({ err: error }, `bot sessions: failed ${what}`),
    });
  }

  /** Names of the bots that can talk now, sorted. */
  list(): string[] {
    return [...this.live.keys()].sort();
  }

  has(bot: string): boolean {
    return this.live.has(bot);
  }

  get(bot: string): LiveBot | undefined {
    return this.live.get(bot);
  }

  /** Puts a compiled version in memory without telling anyone (loading what was live before a restart). */
  load(bot: string, live: LiveBot): void {
    this.live.set(bot, live);
  }

  /** Swaps in a new compiled version, keeping every session, and tells the listeners it went live or reloaded. */
  swap(bot: string, live: LiveBot): void {
    const previous = this.live.has(bot);
    this.live.set(bot, live);
    this.emit(bot, previous ? 'reloaded' : 'created');
  }

  /** Stops a bot and forgets its sessions (the bot was deleted). */
  drop(bot: string): void {
    this.sessions.dropBot(bot);
    this.layers.delete(bot);
    if (this.live.delete(bot)) this.emit(bot, 'deleted');
  }

  /**
   * The bot's learned layer (aiml/learned): its learned categories on top of the live version, each change live at
   * once and costing one category. Created on first use; when a new version is swapped in, its categories move onto
   * a layer of the new version on the next use.
   */
  learnedLayer(bot: string): LearnedLayer | undefined {
    const entry = this.live.get(bot);
    return entry ? this.layerOn(bot, entry.bot) : undefined;
  }

  /** The bot that answers now: the live version with its learned layer. */
  answering(bot: string): Bot | undefined {
    const entry = this.live.get(bot);
    if (!entry) return undefined;
    return this.layers.has(bot) ? this.layerOn(bot, entry.bot).bot : entry.bot;
  }

  private layerOn(bot: string, base: Bot): LearnedLayer {
    const current = this.layers.get(bot);
    if (current?.base === base) return current;
    const layer = LearnedLayer.on(base);
    // Compiled against the new version's sets; one that no longer compiles there stays out (logged).
    for (const spec of current?.specs() ?? []) {
      const outcome = layer.put(spec);
      if (!outcome.ok) this.o.logger.warn({ bot, pattern: spec.pattern, problems: outcome.problems }, 'a learned category does not compile on the new version of the bot');
    }
    this.layers.set(bot, layer);
    return layer;
  }

  /** One reply from the live version, in the client's session. Throws the bot store's unknown_bot error. */
  talk(bot: string, clientKey: string, input: string, options: TalkOptions = {}): TalkResult {
    const live = this.live.get(bot);
    if (!live) throw unknownBot(bot);
    const entry = { bot: this.layers.has(bot) ? this.layerOn(bot, live.bot).bot : live.bot };
    const session = this.sessions.get(bot, clientKey, options.persist ?? false, () => entry.bot.createSession(clientKey));
    const limits = this.engineLimits(bot);
    const reply = entry.bot.respond(session, input, {
      now: this.o.clock.now(),
      ...(limits !== undefined ? { limits } : {}),
      ...(options.that !== undefined ? { that: options.that } : {}),
      ...(options.topic !== undefined ? { topic: options.topic } : {}),
      ...(options.trace ? { trace: true } : {}),
      sraix: (target, text, from) => this.sraix(bot, target, text, from),
    });
    const stateSaved = this.sessions.saved(bot, clientKey);
    // Callers that do not wait for the save (the synchronous paths) still hear of a failure, in the log.
    stateSaved.catch((error: unknown) => this.o.logger.error({ err: error, bot }, 'bot sessions: failed saving a client state'));
    return { answer: answerOf(reply), reply, bot: entry.bot, stateSaved };
  }

  /**
   * Brings the client's saved state into memory (from this instance's cache, or the store when another instance
   * answered the client last), so the synchronous `talk` that follows continues it.
   */
  async loadSession(bot: string, clientKey: string, persist: boolean): Promise<void> {
    const entry = this.live.get(bot);
    if (!entry) throw unknownBot(bot);
    await this.sessions.load(bot, clientKey, persist, () => entry.bot.createSession(clientKey));
  }

  resetSession(bot: string, clientKey: string): Promise<void> {
    return this.sessions.reset(bot, clientKey);
  }

  onChange(listener: (bot: string, change: BotChange) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  close(): void {
    this.sessions.close();
    this.listeners.clear();
  }

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

  private emit(bot: string, change: BotChange): void {
    this.listeners.emit(bot, change);
  }
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
