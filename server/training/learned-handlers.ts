import { escapeTemplateText } from '../../aiml/index.js';
import type { DesignerRef } from '../../protocol/conversation.js';
import type { DesignerResult } from '../../protocol/designer-wire.js';
import type { learnedMethods } from '../../protocol/learned.js';
import type { z } from 'zod';
import type { ConversationService } from '../conversations/conversation-service.js';
import { RuleError } from '../conversations/rule-errors.js';
import type { Storage } from '../storage/storage.js';
import { LearnedErrors } from './learned-errors.js';
import { withPriorityOf, type LearnedService } from './learned-service.js';
import type { LearnedStore } from './learned-store.js';

export type LearnedMethod = keyof typeof learnedMethods;
type Params<M extends LearnedMethod> = z.output<(typeof learnedMethods)[M]['params']>;
/** Handlers get the request's client id: mutating ones use it as their at-most-once key in the learned store. */
export type LearnedHandlers = { [M in LearnedMethod]: (designer: DesignerRef, params: Params<M>, requestId: string) => Promise<DesignerResult<M>> };

export interface LearnedHandlerDeps {
  store: LearnedStore;
  service: LearnedService;
  conversations: ConversationService;
  storage: Pick<Storage, 'lastEventId' | 'getConversation'>;
  hasBot: (bot: string) => boolean;
}

/** The designer gateway's learned-category and unanswered-queue methods (protocol/learned.ts). */
export function learnedHandlers(d: LearnedHandlerDeps): LearnedHandlers {
  const knownBot = (bot: string) => {
    if (!d.hasBot(bot)) throw LearnedErrors.notFound(`no bot named ${bot}`);
  };
  const opIdOf = (designer: DesignerRef, requestId: string) => `${designer.id}:${requestId}`;
  return {
    'learned.list': async (_d, p) => {
      knownBot(p.bot);
      // Read before the page: a mirror that follows events after it misses nothing.
      const lastEventId = await d.storage.lastEventId(p.bot);
      const categories = await d.store.list(p.bot, { limit: p.limit + 1, ...(p.status ? { status: p.status } : {}), ...(p.cursor ? { afterId: p.cursor } : {}) });
      const page = categories.slice(0, p.limit);
      return { categories: page, lastEventId, ...(categories.length > p.limit ? { nextCursor: page[page.length - 1]!.id } : {}) };
    },
    'learned.apply': async (designer, p, requestId) => {
      knownBot(p.bot);
      return d.service.apply(designer, p.bot, p.op, opIdOf(designer, requestId));
    },
    'learned.history': async (_d, p) => ({ entries: await d.store.history(p.bot, { limit: p.limit, ...(p.categoryId ? { categoryId: p.categoryId } : {}) }) }),
    'unanswered.list': async (_d, p) => ({ groups: await d.store.unanswered(p.bot, { includeIgnored: p.includeIgnored, limit: p.limit }) }),
    'unanswered.answer': async (designer, p, requestId) => {
      knownBot(p.bot);
      const opId = opIdOf(designer, requestId);
      const change = await d.service.serial(p.bot, async () => {
        const earlier = await d.store.operation(p.bot, opId);
        if (earlier.length > 0) return { opId, kind: 'capture' as const, categories: earlier.flatMap((e) => (e.after ? [e.after] : [])), removed: [], eventId: 0, fresh: false };
        const group = await d.store.unansweredGroup(p.bot, p.groupKey);
        if (!group) throw LearnedErrors.notFound(`no unanswered input ${p.groupKey} for ${p.bot} (answered or never asked)`);
        // The group's latest input must get this answer, also where a bot category would take it first.
        const priority = d.service.priorityFor(p.bot, { pattern: group.groupKey, that: '*', topic: '*', template: escapeTemplateText(p.template), input: group.example });
        const fields = priority.fields;
        const existing = await d.store.byKey(p.bot, fields);
        const after = withPriorityOf(existing ? d.service.changed(designer, existing, { template: fields.template }) : d.service.newCategory(designer, p.bot, fields, undefined), priority);
        const plan = d.service.planOf(designer, opId, 'capture', existing ?? null, after, { answeredGroups: [group.groupKey] });
        return { ...(await d.service.commit(designer, p.bot, 'capture', opId, plan)), fresh: true, group };
      });
      const sentTo: string[] = [];
      if (p.sendToOnline && change.fresh && 'group' in change) {
        for (const conversationId of change.group.conversations) {
          const conversation = await d.storage.getConversation(conversationId);
          if (!conversation || conversation.online === 0 || conversation.readOnly) continue;
          try {
            await d.conversations.reply(designer, conversationId, p.template);
            sentTo.push(conversationId);
          } catch (error) {
            // Another designer holds it (the takeover rule): they answer there.
            if (!RuleError.is(error)) throw error;
          }
        }
      }
      return { opId: change.opId, kind: change.kind, categories: change.categories, removed: change.removed, eventId: change.eventId, sentTo };
    },
    'unanswered.ignore': async (_d, p) => {
      knownBot(p.bot);
      return d.service.serial(p.bot, async () => {
        if (!(await d.store.unansweredGroup(p.bot, p.groupKey))) throw LearnedErrors.notFound(`no unanswered input ${p.groupKey} for ${p.bot}`);
        await d.store.commit(p.bot, { ignoreGroup: { groupKey: p.groupKey, ignored: p.ignored } });
        return { group: (await d.store.unansweredGroup(p.bot, p.groupKey))! };
      });
    },
  };
}
