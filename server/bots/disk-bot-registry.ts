import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { LIVE_TRAINING_FILE, type Bot } from '../../aiml/index.js';
import type { LearnedLayer } from '../../aiml/learned/index.js';
import { BotCompiler } from './bot-compiler.js';
import type { BotFileRef } from './bot-file-names.js';
import { BotOperationQueue } from './bot-operation-queue.js';
import { BotStore } from './bot-store.js';
import { botNotCompiled, unknownBot } from './errors.js';
import { LiveVersions } from './live-versions.js';
import { newBotFiles } from './new-bot-files.js';
import type { BotAnswer, BotChange, BotRegistryOptions, BotStatus, ManagedBotRegistry, TalkOptions, TalkResult, VerifyResult } from './registry.js';
import { RunningBots } from './running-bots.js';
import { SourceChanges } from './source-changes.js';
import { STARTER_BOT, readStarterBotFiles } from './starter-bot.js';

/**
 * The registry kept in a Platform data directory: bots' source files (BotStore), their compiled versions
 * (LiveVersions), the bots running now (RunningBots) and the compiler between them (BotCompiler). This class only
 * wires them together and decides what each API operation touches; see registry.ts for the contract.
 */
export class DiskBotRegistry implements ManagedBotRegistry {
  private readonly store: BotStore;
  private readonly versions: LiveVersions;
  private readonly running: RunningBots;
  private readonly sources: SourceChanges;
  private readonly compiler: BotCompiler;
  private readonly queue = new BotOperationQueue();
  private readonly logger: Logger;
  private readonly firstRun: boolean;
  readonly dataDir: string;
  private closed = false;
  private learnedFileOwner: ((bot: string, content: Buffer) => boolean) | undefined;

  constructor(options: BotRegistryOptions) {
    this.logger = options.logger;
    mkdirSync(options.dataDir, { recursive: true });
    this.dataDir = options.dataDir;
    const botsRoot = join(options.dataDir, 'bots');
    this.firstRun = !existsSync(botsRoot);
    this.store = new BotStore(botsRoot);
    this.versions = new LiveVersions(join(options.dataDir, 'compiled'), { logger: options.logger, now: () => options.clock.now() });
    this.running = new RunningBots(options);
    this.sources = new SourceChanges(this.versions);
    this.compiler = new BotCompiler({
      store: this.store,
      versions: this.versions,
      running: this.running,
      sources: this.sources,
      clock: options.clock,
      logger: options.logger,
      closed: () => this.closed,
      learnedFileIsOurs: (bot, content) => this.learnedFileOwner?.(bot, content) ?? false,
    });
  }

  async start(seedStarterBot: boolean): Promise<void> {
    if (seedStarterBot && this.firstRun && !this.store.exists(STARTER_BOT)) {
      this.store.create(STARTER_BOT, readStarterBotFiles());
      this.logger.info({ bot: STARTER_BOT }, 'seeded the starter bot');
    }
    for (const bot of this.store.list()) {
      const state = this.versions.state(bot);
      this.sources.setDirty(bot, state.dirty);
      if (!this.versions.known(bot)) {
        // A bot folder the registry never saw (seeded, or copied in by hand): compile it once.
        // Real-world bots often carry a few broken categories (ALICE does): rather than leave a bot someone put
        // here offline, run what compiles and keep it marked uncompiled, so verify lists what to fix.
        const result = await this.queue.run(bot, () => this.compiler.compile(bot, { acceptErrors: true }));
        if (!result.ok) this.logger.warn({ bot, errors: result.errors.slice(0, 5) }, 'bot has errors: running the categories that compiled; verify lists every error');
        continue;
      }
      if (state.version === null) continue;
      await this.compiler.loadLive(bot, state.version);
    }
  }

  // ---- BotRegistry (the Platform's view)

  list(): string[] {
    return this.running.list();
  }

  has(bot: string): boolean {
    return this.running.has(bot);
  }

  respond(bot: string, clientKey: string, input: string, options: { that?: string; topic?: string; persist?: boolean } = {}): BotAnswer {
    return this.talk(bot, clientKey, input, { ...options, recent: true }).answer;
  }

  async answer(bot: string, clientKey: string, input: string, options: { that?: string; topic?: string } = {}): Promise<BotAnswer> {
    const { answer, stateSaved } = await this.respondSaving(bot, clientKey, input, options);
    await stateSaved;
    return answer;
  }

  async respondSaving(bot: string, clientKey: string, input: string, options: { that?: string; topic?: string } = {}): Promise<{ answer: BotAnswer; stateSaved: Promise<void> }> {
    await this.loadSession(bot, clientKey, true);
    const result = this.talk(bot, clientKey, input, { ...options, persist: true, recent: true });
    return { answer: result.answer, stateSaved: result.stateSaved };
  }

  onChange(listener: (bot: string, change: BotChange) => void): () => void {
    return this.running.onChange(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.drain();
    this.running.close();
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
      live: this.running.has(bot),
      dirty: this.sources.isDirty(bot),
      ...(state.compiledAt ? { compiledAt: state.compiledAt } : {}),
      ...(corrupt ? { stateFileReset: { keptAt: corrupt.keptAt, reason: corrupt.reason, at: corrupt.at } } : {}),
    };
  }

  createBot(bot: string): void {
    this.store.create(bot, newBotFiles(bot));
    this.sources.changed(bot);
  }

  deleteBot(bot: string): Promise<void> {
    return this.queue.run(bot, async () => {
      const removed = this.store.delete(bot);
      this.sources.forget(bot);
      this.running.drop(bot);
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
    this.sources.changed(bot);
  }

  removeFile(bot: string, ref: BotFileRef): void {
    this.store.remove(bot, ref);
    this.sources.changed(bot);
  }

  verify(bot: string): Promise<VerifyResult> {
    if (!this.store.exists(bot)) return Promise.reject(unknownBot(bot));
    return this.queue.run(bot, () => this.compiler.compile(bot));
  }

  reload(bot: string): Promise<void> {
    // What runs is always the latest compiled version already (verify swaps it in), so a reload only has work to
    // do when the compiled copy on disk is not the one in memory; a client sending reload=true on every call
    // costs nothing.
    return this.queue.run(bot, async () => {
      const { version } = this.versions.state(bot);
      if (version !== null && this.running.get(bot)?.version !== version) await this.compiler.loadLive(bot, version);
    });
  }

  talk(bot: string, clientKey: string, input: string, options: TalkOptions = {}): TalkResult {
    if (!this.running.has(bot)) throw unknownBot(bot);
    if (!options.recent && this.sources.knownDirty(bot)) throw botNotCompiled(bot);
    return this.running.talk(bot, clientKey, input, options);
  }

  loadSession(bot: string, clientKey: string, persist: boolean): Promise<void> {
    return this.running.loadSession(bot, clientKey, persist);
  }

  resetSession(bot: string, clientKey: string): Promise<void> {
    return this.running.resetSession(bot, clientKey);
  }

  liveBot(bot: string): Bot | undefined {
    return this.running.get(bot)?.bot;
  }

  // ---- the learned-categories hook (server/training)

  learnedLayer(bot: string): LearnedLayer | undefined {
    return this.running.learnedLayer(bot);
  }

  answeringBot(bot: string): Bot | undefined {
    return this.running.answering(bot);
  }

  setLearnedFileOwner(isOurs: (bot: string, content: Buffer) => boolean): void {
    this.learnedFileOwner = isOurs;
  }

  writeLearnedFile(bot: string, content: Uint8Array): void {
    this.store.write(bot, { kind: 'file', name: LIVE_TRAINING_FILE.replace(/\.aiml$/, '') }, content);
  }
}
