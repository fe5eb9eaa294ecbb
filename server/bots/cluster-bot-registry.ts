import type { Logger } from 'pino';
import { RerunPerKey } from '../rerun-per-key.js';
import type { Bot } from '../../aiml/index.js';
import type { LearnedLayer } from '../../aiml/learned/index.js';
import { LEARNED_FILE_REF, type BotFileRef } from './bot-file-names.js';
import { BotOperationQueue } from './bot-operation-queue.js';
import type { BotAnswer, BotChange, BotChangeOrigin, BotStatus, ManagedBotRegistry, TalkOptions, TalkResult, VerifyResult } from './registry.js';
import { BOTS_CHANNEL, type SharedBotFiles } from './shared-bot-files.js';

/** What the registry needs of PostgreSQL's LISTEN (`PostgresNotifications` has this shape). */
export interface BotAnnouncements {
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  onReconnect(callback: () => void): () => void;
}

/**
 * The bot registry of an instance in a cluster: the local registry (files in the data folder, compiled versions,
 * running bots) kept as a mirror of the bot files in the database. A verify (publish) or delete through this instance
 * goes to the database first-hand, with a new version announced to every instance; an instance that hears of a newer
 * version writes the files into its mirror and compiles them (in slices, off the event loop's critical path), and the
 * new version replaces the running one without dropping sessions. Uploads alone stay local until verified, as a
 * Pandorabots bot's uploaded files do not talk until compiled.
 */
export class ClusterBotRegistry implements ManagedBotRegistry {
  /** The version of each bot this instance runs (or deleted), as published in the database. */
  private readonly known = new Map<string, number>();
  /** One sync per bot at a time; asked again meanwhile, it syncs once more. */
  private readonly syncing = new RerunPerKey(
    (bot) =>
      this.operations.run(bot, async () => {
        this.following.add(bot);
        try {
          await this.follow(bot);
        } finally {
          this.following.delete(bot);
        }
      }),
    (error, bot) => this.logger.error({ err: error, bot }, 'cluster: could not follow a bot published on another instance'),
  );
  private stopReconnect: (() => void) | undefined;
  /**
   * This instance's own publishes and the follows of the others' run one at a time per bot, so a change the local
   * registry reports while a follow holds the bot is the other instance's (its designers heard of it from there).
   */
  private readonly operations = new BotOperationQueue();
  /** Bots whose follow of another instance's publish is running now. */
  private readonly following = new Set<string>();

  constructor(
    private readonly local: ManagedBotRegistry,
    private readonly shared: SharedBotFiles,
    private readonly logger: Logger,
  ) {}

  get dataDir(): string {
    return this.local.dataDir;
  }

  /**
   * Joins the cluster's bots: the database's bots replace the mirror's (an empty database gets this instance's bots, the
   * first instance seeds it), then every announced version is followed.
   */
  async start(announcements: BotAnnouncements): Promise<void> {
    await announcements.listen(BOTS_CHANNEL, (payload) => this.announced(payload));
    this.stopReconnect = announcements.onReconnect(() => void this.syncAll());
    const versions = await this.shared.versions();
    if (versions.size === 0) {
      for (const bot of this.local.list()) this.known.set(bot, await this.shared.publish(bot, this.filesOf(bot)));
      return;
    }
    await this.syncAll();
  }

  /** Follows every bot whose version moved on (after a lost LISTEN connection, at start). */
  async syncAll(): Promise<void> {
    try {
      const versions = await this.shared.versions();
      await Promise.all([...versions].filter(([bot, v]) => v.version > (this.known.get(bot) ?? 0)).map(([bot]) => this.sync(bot)));
    } catch (error) {
      this.logger.error({ err: error }, 'cluster: could not read the bots’ versions');
    }
  }

  /** Resolves when every sync running now is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.syncing.size > 0) await this.syncing.settled();
  }

  // ---- the operations that change what runs: through the database

  verify(bot: string): Promise<VerifyResult> {
    return this.operations.run(bot, async () => {
      const result = await this.local.verify(bot);
      if (result.ok) this.known.set(bot, await this.shared.publish(bot, this.filesOf(bot)));
      return result;
    });
  }

  deleteBot(bot: string): Promise<void> {
    return this.operations.run(bot, async () => {
      await this.local.deleteBot(bot);
      this.known.set(bot, await this.shared.remove(bot));
    });
  }

  // ---- everything else is the local registry's

  list(): string[] {
    return this.local.list();
  }
  has(bot: string): boolean {
    return this.local.has(bot);
  }
  respond(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string; persist?: boolean }): BotAnswer {
    return this.local.respond(bot, clientKey, input, options);
  }
  answer(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string }): Promise<BotAnswer> {
    return this.local.answer(bot, clientKey, input, options);
  }
  respondSaving(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string }): Promise<{ answer: BotAnswer; stateSaved: Promise<void> }> {
    return this.local.respondSaving(bot, clientKey, input, options);
  }
  onChange(listener: (bot: string, change: BotChange, origin?: BotChangeOrigin) => void): () => void {
    return this.local.onChange((bot, change) => listener(bot, change, this.following.has(bot) ? 'elsewhere' : 'here'));
  }
  async close(): Promise<void> {
    this.stopReconnect?.();
    await this.settled();
    await this.local.close();
  }
  allBots(): string[] {
    return this.local.allBots();
  }
  exists(bot: string): boolean {
    return this.local.exists(bot);
  }
  status(bot: string): BotStatus {
    return this.local.status(bot);
  }
  createBot(bot: string): void {
    this.local.createBot(bot);
  }
  listFiles(bot: string): BotFileRef[] {
    return this.local.listFiles(bot);
  }
  readFile(bot: string, ref: BotFileRef): Buffer {
    return this.local.readFile(bot, ref);
  }
  readAllFiles(bot: string): Array<{ name: string; ref: BotFileRef; content: Buffer }> {
    return this.local.readAllFiles(bot);
  }
  writeFile(bot: string, ref: BotFileRef, content: Uint8Array): void {
    this.local.writeFile(bot, ref, content);
  }
  removeFile(bot: string, ref: BotFileRef): void {
    this.local.removeFile(bot, ref);
  }
  reload(bot: string): Promise<void> {
    return this.local.reload(bot);
  }
  talk(bot: string, clientKey: string, input: string, options?: TalkOptions): TalkResult {
    return this.local.talk(bot, clientKey, input, options);
  }
  loadSession(bot: string, clientKey: string, persist: boolean): Promise<void> {
    return this.local.loadSession(bot, clientKey, persist);
  }
  resetSession(bot: string, clientKey: string): Promise<void> {
    return this.local.resetSession(bot, clientKey);
  }
  liveBot(bot: string): Bot | undefined {
    return this.local.liveBot(bot);
  }
  learnedLayer(bot: string): LearnedLayer | undefined {
    return this.local.learnedLayer(bot);
  }
  answeringBot(bot: string): Bot | undefined {
    return this.local.answeringBot(bot);
  }
  writeLearnedFile(bot: string, content: Uint8Array): void {
    this.local.writeLearnedFile(bot, content);
  }
  setLearnedFileOwner(isOurs: (bot: string, content: Buffer) => boolean): void {
    this.local.setLearnedFileOwner(isOurs);
  }

  // ---- following the others

  private filesOf(bot: string): Array<{ ref: BotFileRef; content: Buffer }> {
    return this.local.readAllFiles(bot).map(({ ref, content }) => ({ ref, content }));
  }

  private announced(payload: string): void {
    let bot: unknown;
    let version: unknown;
    try {
      ({ bot, version } = JSON.parse(payload) as { bot?: unknown; version?: unknown });
    } catch {
      return void this.logger.error({ payload: payload.slice(0, 200) }, 'cluster: a bot announcement that is not JSON');
    }
    if (typeof bot !== 'string' || typeof version !== 'number') return void this.logger.error({ payload: payload.slice(0, 200) }, 'cluster: a bot announcement without bot and version');
    if (version > (this.known.get(bot) ?? 0)) void this.sync(bot);
  }

  private sync(bot: string): Promise<void> {
    return this.syncing.request(bot);
  }

  /** Makes the mirror the database's newest version of the bot, and runs it. */
  private async follow(bot: string): Promise<void> {
    const current = (await this.shared.versions()).get(bot);
    if (!current || current.version <= (this.known.get(bot) ?? 0)) return;
    if (current.deleted) {
      if (this.local.exists(bot)) await this.local.deleteBot(bot);
      this.known.set(bot, current.version);
      return;
    }
    const files = await this.shared.files(bot);
    if (!this.local.exists(bot)) this.local.createBot(bot);
    // Not pand_livetraining.aiml: each instance's learned layer serves those categories and writes its own copy (a
    // copy compiled in as well would keep a deleted learned category answering here).
    const wanted = new Set(files.map((f) => `${f.ref.kind}/${f.ref.name}`));
    for (const ref of this.local.listFiles(bot)) if (!wanted.has(`${ref.kind}/${ref.name}`) && !isLearnedFile(ref)) this.local.removeFile(bot, ref);
    for (const f of files) if (!isLearnedFile(f.ref)) this.local.writeFile(bot, f.ref, f.content);
    const result = await this.local.verify(bot);
    if (!result.ok) this.logger.warn({ bot, version: current.version, errors: result.errors.slice(0, 5) }, 'cluster: a bot published elsewhere does not compile here; the previous version keeps running');
    this.known.set(bot, current.version);
    this.logger.info({ bot, version: current.version }, 'cluster: now running the bot as published on another instance');
  }
}

function isLearnedFile(ref: BotFileRef): boolean {
  return ref.kind === LEARNED_FILE_REF.kind && ref.name === LEARNED_FILE_REF.name;
}
