import type { Logger } from 'pino';
import { escapeTemplateText, type Bot } from '../../aiml/index.js';
import type { DesignerRef, Message } from '../../protocol/conversation.js';
import type { EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationRow, MessageRow } from '../storage/storage.js';
import { captureNormaliser, chooseCapture } from '../../aiml/learned/index.js';
import { checkFields } from './learned-fields.js';
import { withPriorityOf, type LearnedService } from './learned-service.js';
import { WatermarkMovedError, type LearnedCommit, type LearnedStore, type UnansweredHit } from './learned-store.js';

type Awaitable<T> = T | Promise<T>;

/** What capture reads of the Platform's conversations (the synchronous repository or the asynchronous storage). */
export interface ConversationLog {
  lastEventId(bot: string): Awaitable<number>;
  eventsAfter(bot: string, afterId: number, limit: number): Awaitable<EventEnvelope[]>;
  messagesBefore(conversationId: string, beforeSeq: number, limit: number): Awaitable<MessageRow[]>;
  getConversation(id: string): Awaitable<ConversationRow | undefined>;
}

export interface LearnedCaptureOptions {
  log: ConversationLog;
  store: LearnedStore;
  service: LearnedService;
  /** The bot as it answers now (learned layer included), to normalise inputs and tell what it cannot answer. */
  answeringBot: (bot: string) => Bot | undefined;
  logger: Logger;
}

/** Events read per turn. */
const BATCH = 500;
/** Messages looked at before a reply to find the input it answers. */
const LOOK_BACK = 40;

/**
 * Turns every designer reply that answers a user input into a learned category of the bot, exactly once, durably:
 * it consumes the bot's event log from a watermark that is committed in the same transaction as the category, so a
 * Platform killed right after acknowledging a reply captures it when it starts again (nothing twice, nothing lost).
 * Bot replies that fell back to the default category go to the unanswered queue the same way.
 */
export class LearnedCapture {
  private readonly wanted = new Set<string>();

  constructor(private readonly o: LearnedCaptureOptions) {}

  /**
   * At start: a bot the store never saw starts from its log's end (history before the learned store is not captured
   * again); every other bot catches up from its watermark.
   */
  async start(bots: readonly string[]): Promise<void> {
    for (const bot of bots) {
      if ((await this.o.store.watermark(bot)) === undefined) {
        try {
          await this.o.store.commit(bot, { watermark: await this.o.log.lastEventId(bot), watermarkFrom: null });
        } catch (error) {
          // Another instance starting at the same time set it first: that one stands.
          if (!(error instanceof WatermarkMovedError)) throw error;
        }
      }
      await this.catchUp(bot);
    }
  }

  /** A committed event of the bot's log (the event hub's subscriber). */
  onEvent(envelope: EventEnvelope): void {
    const e = envelope.event;
    if (e.type !== 'message.created' || (e.message.author !== 'human' && !(e.message.author === 'bot' && e.message.match?.some((m) => m.defaultCategory)))) return;
    void this.catchUp(envelope.bot);
  }

  /** Consumes the bot's log up to its end (one turn at a time with the bot's operations). */
  catchUp(bot: string): Promise<void> {
    // One catch-up waiting per bot is enough: it reads everything committed by the time it runs.
    if (this.wanted.has(bot)) return this.o.service.serial(bot, async () => undefined);
    this.wanted.add(bot);
    return this.o.service
      .serial(bot, async () => {
        this.wanted.delete(bot);
        await this.consume(bot);
      })
      .catch((error: unknown) => this.o.logger.error({ err: error, bot }, 'capturing learned categories failed; retried on the next reply'));
  }

  /**
   * Several Platform instances may consume one bot's log at once (a cluster): each commit is compare-and-set on the
   * watermark it was planned from, so one of them turns a reply into a category and the others, refused, read on from
   * where it got to.
   */
  private async consume(bot: string): Promise<void> {
    for (;;) {
      try {
        return await this.consumeFrom(bot);
      } catch (error) {
        if (!(error instanceof WatermarkMovedError)) throw error;
      }
    }
  }

  private async consumeFrom(bot: string): Promise<void> {
    let committed = (await this.o.store.watermark(bot)) ?? null;
    let mark = committed ?? 0;
    for (;;) {
      const events = await this.o.log.eventsAfter(bot, mark, BATCH);
      if (events.length === 0) return;
      if (events[0]!.id > mark + 1) this.o.logger.warn({ bot, from: mark + 1, to: events[0]!.id - 1 }, 'events were pruned before they were captured: replies among them are not learned');
      let pending: UnansweredHit[] = [];
      for (const envelope of events) {
        const e = envelope.event;
        if (e.type !== 'message.created') continue;
        if (e.message.author === 'bot') pending.push(...(await this.unanswered(bot, e.message)));
        else if (e.message.author === 'human' && e.message.designer) {
          try {
            if (await this.capture(bot, e.message, e.message.designer, { watermark: envelope.id, watermarkFrom: committed, unanswered: pending })) {
              pending = [];
              committed = envelope.id;
            }
          } catch (error) {
            if (error instanceof WatermarkMovedError) throw error;
            // One reply that cannot become a category (it does not compile) must not hold up every later one.
            this.o.logger.warn({ err: error, bot, conversation: e.message.conversationId, seq: e.message.seq }, 'a designer reply could not be captured');
          }
        }
      }
      mark = events[events.length - 1]!.id;
      await this.o.store.commit(bot, { watermark: mark, watermarkFrom: committed, unanswered: pending });
      committed = mark;
    }
  }

  /** The sentences of a bot reply that fell back, with the user input they answered. */
  private async unanswered(bot: string, reply: Message): Promise<UnansweredHit[]> {
    const answering = this.o.answeringBot(bot);
    if (!answering || !reply.match) return [];
    const before = await this.o.log.messagesBefore(reply.conversationId, reply.seq, 10);
    const input = [...before].reverse().find((m) => m.author === 'user');
    if (!input) return [];
    const sentences = answering.normalize(input.text);
    const hits: UnansweredHit[] = [];
    reply.match.forEach((m, i) => {
      const key = sentences.length === reply.match!.length ? sentences[i] : sentences.join(' ');
      if (m.defaultCategory && key) hits.push({ groupKey: key, input: input.text, conversationId: reply.conversationId, at: reply.at });
    });
    return hits;
  }

  /** Captures (or extends) the category a designer reply makes; false when it makes none. */
  private async capture(bot: string, reply: Message, designer: DesignerRef, carry: LearnedCommit): Promise<boolean> {
    const { store, service } = this.o;
    const answering = this.o.answeringBot(bot);
    if (!answering) return false;
    const before = (await this.o.log.messagesBefore(reply.conversationId, reply.seq, LOOK_BACK)).filter((m) => m.author !== 'system');
    const template = escapeTemplateText(reply.text);
    const opId = `capture:${reply.conversationId}:${reply.seq}`;
    const previous = before[before.length - 1];
    // A second reply in a row goes on with the first one's answer.
    if (previous?.author === 'human') {
      const link = await store.lastCapture(reply.conversationId);
      const current = link && link.lastReplySeq === previous.seq ? await store.get(bot, link.categoryId) : undefined;
      if (!link || !current) return false;
      const extended = service.changed(designer, current, { template: `${current.template} ${template}` });
      checkFields(extended);
      const plan = service.planOf(designer, opId, 'capture', current, extended, { ...carry, captureLinks: [{ ...link, lastReplySeq: reply.seq }] });
      await service.commit(designer, bot, 'capture', opId, plan);
      return true;
    }
    // The engine's choice (aiml/learned): a sentence the bot fell back on, a question first; `<that>` only for a short
    // reply whose meaning is the previous message's.
    const choice = chooseCapture(before.map((m) => ({ seq: m.seq, author: m.author, text: m.text, ...(m.match ? { match: m.match } : {}) })), captureNormaliser(answering));
    const chosen = choice.chosen[0];
    if (!chosen) return false;
    const typed = typedSentence(answering, before, chosen.seq, chosen.sentence);
    // A bot category that would still take this input first (ALICE's `_ HAS LIVED`) is outranked with `$`.
    const priority = service.priorityFor(bot, { pattern: chosen.pattern, that: chosen.that, topic: '*', template, input: typed });
    const fields = priority.fields;
    const candidates = choice.candidates.filter((c) => c !== chosen).map((c) => ({ inputSeq: c.seq, input: typedSentence(answering, before, c.seq, c.sentence) }));
    // A reply that cannot become a valid category is refused here (logged by the caller), never stored.
    checkFields(fields);
    const conversation = await this.o.log.getConversation(reply.conversationId);
    const source = {
      conversationId: reply.conversationId,
      inputSeq: chosen.seq,
      replySeq: reply.seq,
      input: typed,
      clientName: conversation?.clientName ?? '',
      ...(candidates.length > 0 ? { candidates } : {}),
    };
    const existing = await store.byKey(bot, fields);
    // The same answer again (an unanswered group answered to its users, a retry) changes nothing.
    if (existing?.template === template) return false;
    const status = service.newCategory(designer, bot, fields, source).status;
    const after = withPriorityOf(existing ? service.changed(designer, existing, { template, source, status }) : service.newCategory(designer, bot, fields, source), priority);
    const link = { conversationId: reply.conversationId, categoryId: after.id, inputSeq: chosen.seq, lastReplySeq: reply.seq };
    const plan = service.planOf(designer, opId, 'capture', existing ?? null, after, { ...carry, captureLinks: [link], answeredGroups: [chosen.pattern] });
    await service.commit(designer, bot, 'capture', opId, plan);
    return true;
  }
}

/** A sentence of a user message as typed (the whole message when it has one sentence). */
function typedSentence(bot: Bot, messages: readonly MessageRow[], seq: number, sentence: number): string {
  const text = messages.find((m) => m.seq === seq)?.text ?? '';
  const sentences = bot.data.normalizer.sentencesWithText(text);
  const one = sentences[sentence];
  // Sentence by sentence, with the mark that ended it ("Do you deliver?").
  return sentences.length <= 1 || !one ? text.trim() : `${one.text.trim()}${one.end}`;
}

