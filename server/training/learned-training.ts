import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import type { ManagedBotRegistry } from '../bots/registry.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { EventHub } from '../conversations/event-hub.js';
import type { LiveTrainingSettingsStore } from '../settings/live-training-settings.js';
import type { Storage } from '../storage/storage.js';
import { LearnedCapture } from './learned-capture.js';
import { learnedHandlers, type LearnedHandlers } from './learned-handlers.js';
import { LiveLearned, specOf } from './live-learned.js';
import { learnedFileText } from './learned-file-text.js';
import { ValidatedFieldCache } from '../../aiml/index.js';
import { LearnedService } from './learned-service.js';
import type { LearnedStore } from './learned-store.js';
import { PostgresLearnedStore } from './postgres-learned-store.js';
import { LearnedUpload, type LearnedUploadOutcome } from './learned-upload.js';
import { SqliteLearnedStore } from './sqlite-learned-store.js';

export interface LearnedTrainingOptions {
  dataDir: string;
  durability: 'normal' | 'full';
  registry: ManagedBotRegistry;
  storage: Storage;
  hub: EventHub;
  conversations: ConversationService;
  settings: LiveTrainingSettingsStore;
  clock: Clock;
  logger: Logger;
  newId: () => string;
  /**
   * `postgres://...`: the learned categories live in this PostgreSQL database, shared by every instance of the cluster
   * (postgres-learned-store.ts), and each instance follows the others' changes. Default: `<dataDir>/learned.db`.
   */
  databaseUrl?: string;
}

export interface LearnedTraining {
  handlers: LearnedHandlers;
  /**
   * The bot's `pand_livetraining.aiml` as the Pandorabots API changes it (learned-upload.ts): an upload is imported
   * (undefined when it is not well-formed AIML: the caller stores it as given, and verify reports it), a delete deletes
   * the approved categories.
   */
  learnedFile: {
    upload(bot: string, content: Uint8Array): Promise<LearnedUploadOutcome | undefined>;
    remove(bot: string): Promise<{ deleted: number; opId: string }>;
  };
  /** Waits until every reply committed so far is captured and live in its bot (tests, benchmarks). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Platform as the home of each bot's learned categories (issue 13): the store in `learned.db`, capture of every
 * designer reply from the bots' event logs, operations with versions, the live layer and `pand_livetraining.aiml`,
 * and the designer gateway methods.
 */
export async function startLearnedTraining(o: LearnedTrainingOptions): Promise<LearnedTraining> {
  const store: LearnedStore = o.databaseUrl
    ? await PostgresLearnedStore.open(o.databaseUrl, { onError: (error) => o.logger.warn({ err: error }, 'learned categories: a database connection broke; the next use opens another') })
    : new SqliteLearnedStore(join(o.dataDir, 'learned.db'), { durability: o.durability });
  const layer = new LiveLearned({ store, registry: o.registry, logger: o.logger, ...(store instanceof PostgresLearnedStore ? { shareFile: sharedFileWriter(store) } : {}) });
  const service = new LearnedService({
    store,
    clock: o.clock,
    newId: o.newId,
    publish: (bot, event) => o.conversations.publish(bot, event),
    reviewFirst: (bot) => o.settings.get(bot).reviewLearnedAnswers === true,
    onChanged: (bot, entries) => layer.applied(bot, entries),
    baseBot: (bot) => o.registry.learnedLayer(bot)?.base,
  });
  // The file this Platform wrote is served by the learned layer: compiled versions leave it out (deletes take effect).
  o.registry.setLearnedFileOwner((bot, content) => layer.isWrittenText(bot, content.toString('utf8')));
  const capture = new LearnedCapture({ log: o.storage, store, service, answeringBot: (bot) => o.registry.answeringBot(bot), logger: o.logger });
  try {
    await layer.start(o.registry.list());
    await capture.start(o.registry.list());
  } catch (error) {
    await store.close();
    throw error;
  }
  const uploads = new LearnedUpload({ store, service, live: layer, newId: o.newId });
  const unsubscribe = o.hub.subscribe((envelope) => {
    capture.onEvent(envelope);
    // In a cluster the hub also carries the other instances' events (the event bridge): their learned changes go live
    // here too. This instance's own, heard again, change nothing (idempotent by version).
    const e = envelope.event;
    if (o.databaseUrl && e.type === 'learned.changed') void layer.follow(envelope.bot, [...e.change.categories.map((c) => c.id), ...e.change.removed]);
  });
  const settled = async () => {
    await Promise.all(o.registry.list().map((bot) => capture.catchUp(bot)));
    await service.idle();
    await layer.followed();
    await layer.flush();
  };
  return {
    handlers: learnedHandlers({ store, service, conversations: o.conversations, storage: o.storage, hasBot: (bot) => o.registry.has(bot) }),
    settled,
    learnedFile: {
      upload: async (bot, content) => {
        const categories = LearnedUpload.parse(content);
        if (categories) return uploads.upload(bot, categories);
        // Stored as given by the caller: a rewrite still waiting must not replace it before the verify that reports it.
        await layer.writeNow(bot);
        return undefined;
      },
      remove: (bot) => uploads.remove(bot),
    },
    close: async () => {
      unsubscribe();
      await service.idle();
      await layer.close();
      await store.close();
    },
  };
}

/** The cluster's shared `pand_livetraining.aiml`: the approved set as committed, built as every instance builds its own. */
function sharedFileWriter(store: PostgresLearnedStore): (bot: string) => Promise<void> {
  const validated = new Map<string, ValidatedFieldCache>();
  return (bot) =>
    store.shareLearnedFile(bot, async (approved) => {
      let cache = validated.get(bot);
      if (!cache) validated.set(bot, (cache = new ValidatedFieldCache()));
      return Buffer.from(await learnedFileText(bot, approved.map(specOf), cache), 'utf8');
    });
}
