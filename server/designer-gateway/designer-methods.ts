import type { DesignerRef } from '../../protocol/conversation.js';
import type { BotInfo, DesignerMethod, DesignerResult, designerMethods } from '../../protocol/designer-wire.js';
import type { z } from 'zod';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { ConversationHistory } from '../conversations/history.js';
import { AppError } from '../../protocol/errors.js';
import type { ContentReports } from '../moderation/content-reports.js';
import type { LiveTrainingSettingsStore } from '../settings/live-training-settings.js';
import type { Storage, StorageTx } from '../storage/storage.js';

/** The bots designers can see: the ones the Platform can run now. */
export interface BotDirectory {
  list(): string[];
  has(bot: string): boolean;
}

export interface DesignerMethodDeps {
  service: ConversationService;
  history: ConversationHistory;
  settings: LiveTrainingSettingsStore;
  storage: Storage;
  bots: BotDirectory;
  reports: ContentReports;
}

type Params<M extends DesignerMethod> = z.output<(typeof designerMethods)[M]['params']>;
/**
 * A mutating method runs in `tx`, the gateway's transaction that also records its result (at most once); the others
 * get no transaction and only read.
 */
type Handlers = { [M in DesignerMethod]: (designer: DesignerRef, params: Params<M>, tx: StorageTx | undefined) => Promise<DesignerResult<M>> };

export async function botInfos(deps: Pick<DesignerMethodDeps, 'bots' | 'storage' | 'settings'>): Promise<BotInfo[]> {
  const infos: BotInfo[] = [];
  for (const name of deps.bots.list()) infos.push({ name, lastEventId: await deps.storage.lastEventId(name), settings: deps.settings.get(name) });
  return infos;
}

/** What each designer method does, over the services; validation and at-most-once happen in the gateway. */
export function designerHandlers(deps: DesignerMethodDeps): Handlers {
  const { service, history, settings, bots } = deps;
  const knownBot = (bot: string) => {
    if (!bots.has(bot)) throw new AppError('not_found', `no bot named ${bot}`);
  };
  return {
    'conversation.reply': async (designer, p, tx) => {
      const r = await service.reply(designer, p.conversationId, p.text, tx);
      return { conversationId: p.conversationId, tookOver: r.tookOver, messages: r.messages, eventIds: r.eventIds };
    },
    'conversation.setBotActive': async (designer, p, tx) => {
      const r = await service.setBotActive(designer, p.conversationId, p.active, tx);
      return { conversationId: p.conversationId, changed: r.changed, messages: r.messages, eventIds: r.eventIds };
    },
    'designer.activity': async (designer) => ({ holds: await service.designerActivity(designer.id) }),
    'designer.idle': (designer, _p, tx) => service.designerIdle(designer.id, tx),
    'conversation.list': (_d, p) => {
      const query: Parameters<ConversationHistory['list']>[0] = { filter: p.filter, limit: p.limit };
      if (p.bot) query.bot = p.bot;
      if (p.search) query.search = p.search;
      if (p.cursor) query.cursor = p.cursor;
      return history.list(query);
    },
    'conversation.get': async (_d, p) => ({ conversation: await history.get(p.conversationId) }),
    'conversation.transcript': (_d, p) => history.transcript(p.conversationId, p.beforeSeq, p.limit),
    'conversation.export': (_d, p) => history.export(p.conversationId, p.format),
    'bot.list': async () => ({ bots: await botInfos(deps) }),
    // Also of a deleted bot: what visitors reported stays on record.
    'bot.reports': async (_d, p) => ({ reports: await deps.reports.list(p.bot, p.limit) }),
    'bot.settings': async (_d, p) => {
      knownBot(p.bot);
      return { settings: settings.get(p.bot) };
    },
    'bot.updateSettings': async (_d, p, tx) => {
      knownBot(p.bot);
      if (!tx) throw new Error('bot.updateSettings runs in the transaction that records it');
      const updated = await settings.update(tx, p.bot, p.patch);
      const eventId = await service.publishIn(tx, p.bot, { type: 'settings.updated', bot: p.bot, settings: updated });
      // The timeout may have changed: every lease is recomputed from the stored state and the new settings.
      await service.renewAllLeases(tx, { bot: p.bot, settings: updated });
      return { settings: updated, eventId };
    },
  };
}
