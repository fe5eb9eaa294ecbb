import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type AimlDiagnostic, type Bot, LIVE_TRAINING_FILE, loadBotDirectory } from '../../aiml/index.js';
import type { Clock } from '../../protocol/clock.js';
import { writeFileAtomicSync } from '../../node-lib/atomic-write.js';
import { isValidBaseName } from './bot-file-names.js';
import type { BotStore } from './bot-store.js';
import { type LiveVersions, digestOf } from './live-versions.js';
import type { VerifyResult } from './registry.js';
import type { LiveBot, RunningBots } from './running-bots.js';
import type { SourceChanges } from './source-changes.js';

const DEFAULT_LEARN_FILE = 'pand_learn.aiml';

export interface BotCompilerOptions {
  store: BotStore;
  versions: LiveVersions;
  running: RunningBots;
  sources: SourceChanges;
  clock: Clock;
  logger: Logger;
  /** The Platform is shutting down: a compile that finishes now does not go live. */
  closed: () => boolean;
  /**
   * Whether the bot's `pand_livetraining.aiml` is the one the Platform's learned categories wrote (server/training):
   * then the learned layer serves those categories and the compiled version leaves the file out, so a category deleted
   * since is not answered by the base. An uploaded file (anything else) is compiled as usual.
   */
  learnedFileIsOurs?: (bot: string, content: Buffer) => boolean;
}

/**
 * Compiling and verifying a bot's source files into a new version on disk, and handing it to the running bots
 * (RunningBots) when it compiled; loading the last compiled version after a restart. The categories a live version
 * learned with `<learnf>` are carried back to the source files so that no publish loses them. Callers run one
 * operation per bot at a time (BotOperationQueue).
 */
export class BotCompiler {
  constructor(private readonly o: BotCompilerOptions) {}

  /**
   * Compile the source files into a new version. With errors, the live version stays, unless `acceptErrors` (the
   * first load of a bot folder found on disk) and something compiled: then that goes live, still marked dirty.
   * Copying and compiling are asynchronous and run in slices, so conversations (this bot's live version included)
   * keep being answered meanwhile; the swap itself is one synchronous step.
   */
  async compile(bot: string, { acceptErrors = false } = {}): Promise<VerifyResult> {
    const { store, versions, running, sources } = this.o;
    const generation = sources.generationOf(bot);
    const previous = running.get(bot);
    const learnedAtCopy = this.keepLearnedCategories(bot, previous, versions.state(bot).learnDigest);
    let prepared: { version: number; dir: string };
    try {
      prepared = await versions.prepare(bot, store.botDir(bot));
    } catch (error) {
      // A file removed by an upload while it was being copied, a full disk: nothing was compiled.
      return this.failed(bot, undefined, [diagnosticOf(`the bot's files could not be copied for compiling (${messageOf(error)}); verify again`)], []);
    }
    const { version, dir } = prepared;
    this.leaveOutOwnLearnedFile(bot, dir);
    let compiled: Bot;
    let diagnostics: AimlDiagnostic[];
    try {
      const result = await loadBotDirectory(dir, { botName: bot, clock: this.o.clock });
      compiled = result.bot;
      diagnostics = result.diagnostics;
    } catch (error) {
      return this.failed(bot, version, [diagnosticOf(messageOf(error))], []);
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity !== 'error');
    const acceptAnyway = acceptErrors && !running.has(bot) && compiled.categoryCount > 0;
    if ((errors.length > 0 && !acceptAnyway) || this.o.closed() || !store.exists(bot)) {
      this.o.logger.info({ bot, errors: errors.length }, 'verify failed; the live version keeps running');
      return this.failed(bot, version, errors, warnings);
    }
    versions.commit(bot, version, this.o.clock.now(), learnDigest(compiled, dir));
    const stillDirty = errors.length > 0 || sources.generationOf(bot) !== generation;
    if (stillDirty) versions.markDirty(bot);
    sources.setDirty(bot, stillDirty);
    // The old version kept answering while this one compiled; what it learned with <learnf> meanwhile goes back to
    // the source folder and into the next verify. (Nothing answers between this and the swap: both are synchronous.)
    if (previous && this.keepLearnedCategories(bot, previous, learnedAtCopy) !== learnedAtCopy) sources.changed(bot);
    this.o.logger.info({ bot, version, categories: compiled.categoryCount }, previous ? 'bot reloaded' : 'bot is live');
    running.swap(bot, { bot: compiled, version });
    await versions.dropOtherVersions(bot, version);
    return { ok: errors.length === 0, errors, warnings };
  }

  private leaveOutOwnLearnedFile(bot: string, dir: string): void {
    const file = join(dir, 'aiml', LIVE_TRAINING_FILE);
    if (!this.o.learnedFileIsOurs || !existsSync(file)) return;
    if (this.o.learnedFileIsOurs(bot, readFileSync(file))) rmSync(file);
  }

  /** Puts the compiled version `version` in memory (after a restart, or a reload); on failure the bot stays offline. */
  async loadLive(bot: string, version: number): Promise<void> {
    const dir = this.o.versions.versionDir(bot, version);
    try {
      const { bot: compiled, diagnostics } = await loadBotDirectory(dir, { botName: bot, clock: this.o.clock });
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) this.o.logger.warn({ bot, errors: errors.slice(0, 5) }, 'the compiled copy has errors; running the categories that load');
      this.o.running.load(bot, { bot: compiled, version });
    } catch (error) {
      this.o.logger.error({ err: error, bot }, 'cannot load the compiled bot; it stays offline until verify succeeds');
    }
  }

  /** A compile that does not go live: its copy is thrown away and the bot stays "uncompiled". */
  private async failed(bot: string, version: number | undefined, errors: AimlDiagnostic[], warnings: AimlDiagnostic[]): Promise<VerifyResult> {
    if (version !== undefined) await this.o.versions.discard(bot, version);
    if (this.o.store.exists(bot)) this.o.versions.markFailed(bot);
    this.o.sources.setDirty(bot, true);
    return { ok: false, errors, warnings };
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
    const livePath = join(this.o.versions.versionDir(bot, live.version), 'aiml', name);
    if (!existsSync(livePath)) return knownDigest;
    const content = readFileSync(livePath);
    const digest = digestOf(content);
    if (digest !== knownDigest) writeFileAtomicSync(join(this.o.store.botDir(bot), 'aiml', name), content);
    return digest;
  }
}

function learnDigest(bot: Bot, dir: string): string | undefined {
  const name = bot.property('learn-filename') ?? DEFAULT_LEARN_FILE;
  const path = join(dir, 'aiml', name);
  return existsSync(path) ? digestOf(readFileSync(path)) : undefined;
}

function diagnosticOf(message: string): AimlDiagnostic {
  return { file: '', line: 0, column: 0, message, severity: 'error' };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
