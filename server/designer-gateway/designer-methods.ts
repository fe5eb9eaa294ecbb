import type { DesignerRef } from '../../protocol/conversation.js';
import type { BotInfo, DesignerMethod, DesignerResult, designerMethods } from '../../protocol/designer-wire.js';
import type { learnedMethods } from '../../protocol/learned.js';
import type { z } from 'zod';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { ConversationHistory } from '../conversations/history.js';
import { AppError } from '../../protocol/errors.js';
import type { ContentReports } from '../moderation/content-reports.js';
import type { LiveTrainingSettingsStore } from '../settings/live-training-settings.js';
import type { Repository } from '../storage/repository.js';

/** The bots designers can see: the ones the Platform can run now. */
export interface BotDirectory {
  list(): string[];
  has(bot: string): boolean;
}

export interface DesignerMethodDeps {
  service: ConversationService;
  history: ConversationHistory;
  settings: LiveTrainingSettingsStore;
  repo: Repository;
  bots: BotDirectory;
  reports: ContentReports;
}

type Params<M extends DesignerMethod> = z.output<(typeof designerMethods)[M]['params']>;
/** The learned-category methods are served by server/training (see `learnedHandlers` there). */
export type CoreDesignerMethod = Exclude<DesignerMethod, keyof typeof learnedMethods>;
type Handlers = { [M in CoreDesignerMethod]: (designer: DesignerRef, params: Params<M>) => DesignerResult<M> };

export function botInfos(deps: Pick<DesignerMethodDeps, 'bots' | 'repo' | 'settings'>): BotInfo[] {
  return deps.bots.list().map((name) => ({ name, lastEventId: deps.repo.lastEventId(name), settings: deps.settings.get(name) }));
}

/** What each designer method does, over the services; validation and at-most-once happen in the gateway. */
export function designerHandlers(deps: DesignerMethodDeps): Handlers {
  const { service, history, settings, bots } = deps;
  const knownBot = (bot: string) => {
    if (!bots.has(bot)) throw new AppError('not_found', `no bot named ${bot}`);
  };
  return {
    'conversation.reply': (designer, p) => {
      const r = service.reply(designer, p.conversationId, p.text);
      return { conversationId: p.conversationId, tookOver: r.tookOver, messages: r.messages, eventIds: r.eventIds };
    },
    'conversation.setBotActive': (designer, p) => {
      const r = service.setBotActive(designer, p.conversationId, p.active);
      return { conversationId: p.conversationId, changed: r.changed, messages: r.messages, eventIds: r.eventIds };
    },
    'designer.activity': (designer) => ({ holds: service.designerActivity(designer.id) }),
    'designer.idle': (designer) => service.designerIdle(designer.id),
    'conversation.list': (_d, p) => {
      const query: Parameters<ConversationHistory['list']>[0] = { filter: p.filter, limit: p.limit };
      if (p.bot) query.bot = p.bot;
      if (p.search) query.search = p.search;
      if (p.cursor) query.cursor = p.cursor;
      return history.list(query);
    },
    'conversation.get': (_d, p) => ({ conversation: history.get(p.conversationId) }),
    'conversation.transcript': (_d, p) => history.transcript(p.conversationId, p.beforeSeq, p.limit),
    'conversation.export': (_d, p) => history.export(p.conversationId, p.format),
    'bot.list': () => ({ bots: botInfos(deps) }),
    // Also of a deleted bot: what visitors reported stays on record.
    'bot.reports': (_d, p) => ({ reports: deps.reports.list(p.bot, p.limit) }),
    'bot.settings': (_d, p) => {
      knownBot(p.bot);
      return { settings: settings.get(p.bot) };
    },
    'bot.updateSettings': (_d, p) => {
      knownBot(p.bot);
      const updated = settings.update(p.bot, p.patch);
      const eventId = service.publish(p.bot, { type: 'settings.updated', bot: p.bot, settings: updated });
      // The timeout may have changed: every lease is recomputed from the stored state.
      service.renewAllLeases();
      return { settings: updated, eventId };
    },
  };
}
