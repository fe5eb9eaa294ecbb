import type { Logger } from 'pino';
import { LIVE_TRAINING_FILE, serializeCategories, type CategorySpec } from '../../aiml/index.js';
import type { LearnedCategory } from '../../protocol/learned.js';
import type { ManagedBotRegistry } from '../bots/registry.js';
import type { LearnedStore } from './learned-store.js';

export interface LearnedLayerOptions {
  store: LearnedStore;
  registry: Pick<ManagedBotRegistry, 'exists' | 'setLearnedLayer' | 'writeLearnedFile'>;
  logger: Logger;
  /** Changes this close together are served and written once (real time: not a rule anyone waits on). */
  debounceMs?: number;
}

/**
 * Keeps each bot's approved learned categories live in the bot (the registry's learned layer) and in its
 * `pand_livetraining.aiml` (what the Pandorabots API's getFile and the bot's zip give), shortly after each change.
 */
export class LearnedLayer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly o: LearnedLayerOptions) {}

  /** Serves the learned categories each bot already has (at start): the bot answers them before anyone asks. */
  async start(bots: readonly string[]): Promise<void> {
    for (const bot of bots) if ((await this.o.store.count(bot)) > 0) await this.rebuild(bot);
  }

  /** The bot's approved set changed. */
  changed(bot: string): void {
    if (this.closed || this.timers.has(bot)) return;
    const timer = setTimeout(() => {
      this.timers.delete(bot);
      void this.rebuildAfter(bot);
    }, this.o.debounceMs ?? 30);
    timer.unref();
    this.timers.set(bot, timer);
  }

  /** Applies every change seen so far now (shutdown, tests). */
  async flush(): Promise<void> {
    for (const [bot, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.timers.delete(bot);
      void this.rebuildAfter(bot);
    }
    await Promise.all([...this.running.values()]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private rebuildAfter(bot: string): Promise<void> {
    const next = (this.running.get(bot) ?? Promise.resolve()).then(() => this.rebuild(bot));
    this.running.set(bot, next);
    void next.then(() => {
      if (this.running.get(bot) === next) this.running.delete(bot);
    });
    return next;
  }

  private async rebuild(bot: string): Promise<void> {
    try {
      if (!this.o.registry.exists(bot)) return;
      const approved = (await this.o.store.all(bot)).filter((c) => c.status === 'approved');
      const xml = serializeCategories(approved.map(specOf), { botName: bot, generatedAt: new Date(0) });
      const diagnostics = this.o.registry.setLearnedLayer(bot, approved.length > 0 ? { [`aiml/${LIVE_TRAINING_FILE}`]: xml } : undefined);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) this.o.logger.warn({ bot, errors: errors.slice(0, 5) }, 'some learned categories did not compile; the others are live');
      this.o.registry.writeLearnedFile(bot, Buffer.from(xml, 'utf8'));
    } catch (error) {
      // The bot keeps answering with its last good layer; the next change tries again.
      this.o.logger.error({ err: error, bot }, 'could not make the learned categories live');
    }
  }
}

function specOf(c: LearnedCategory): CategorySpec {
  return { pattern: c.pattern, template: c.template, ...(c.that !== '*' ? { that: c.that } : {}), ...(c.topic !== '*' ? { topic: c.topic } : {}) };
}
