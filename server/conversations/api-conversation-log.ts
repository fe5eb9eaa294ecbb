import type { ApiConversationLog, ApiExchange, ApiLogRow } from '../pandorabots-api/ports.js';
import type { Storage } from '../storage/storage.js';
import type { ConversationService } from './conversation-service.js';

/**
 * The Pandorabots API's view of the Platform's storage (server/pandorabots-api/ports.ts): each talk/atalk session is
 * one read-only `api` conversation designers can watch, and the logs download reads every channel's history.
 */
export class StoredApiConversationLog implements ApiConversationLog {
  constructor(
    private readonly service: ConversationService,
    private readonly storage: Storage,
  ) {}

  async record(exchange: ApiExchange): Promise<void> {
    const sessionKey = `api:${exchange.clientName}:${exchange.sessionId}`;
    // The API answers once this resolves: commit now, not at the end of the turn.
    await this.storage.transaction(
      async (tx) => {
        const conversation = await this.service.startConversation({ bot: exchange.bot, channel: 'api', sessionKey, readOnly: true, clientName: exchange.clientName }, tx);
        const accepted = await this.service.acceptUserMessage(conversation.id, exchange.input, null, tx);
        // API conversations are never paused (they cannot be taken over), so the ticket is always there.
        if (accepted.ticket) await this.service.commitBotReply(accepted.ticket, exchange.answer, tx);
      },
      { durable: true },
    );
  }

  async *logRows(bot: string, range: { from?: number; to?: number } = {}): AsyncIterable<ApiLogRow> {
    // One open input per conversation: paired with the next reply (bot or human), or logged alone when the user
    // spoke again first (a paused conversation). Notices are not exchanges.
    const open = new Map<string, { at: number; clientName: string; channel: ApiLogRow['channel']; input: string }>();
    const unanswered = (o: { at: number; clientName: string; channel: ApiLogRow['channel']; input: string }): ApiLogRow => ({
      ...o,
      reply: '',
      pattern: '',
      that: '',
      topic: '',
      file: '',
      defaultCategory: false,
    });
    for await (const m of this.storage.messagesOfBot(bot, range)) {
      if (m.author === 'system') continue;
      if (m.author === 'user') {
        const before = open.get(m.conversationId);
        if (before) yield unanswered(before);
        open.set(m.conversationId, { at: m.at, clientName: m.clientName, channel: m.channel, input: m.text });
        continue;
      }
      const input = open.get(m.conversationId);
      open.delete(m.conversationId);
      const last = m.match?.[m.match.length - 1];
      yield {
        at: m.at,
        clientName: m.clientName,
        channel: m.channel,
        input: input?.input ?? '',
        reply: m.text,
        pattern: last?.pattern ?? '',
        that: last?.that ?? '',
        topic: last?.topic ?? '',
        file: last?.file ?? '',
        defaultCategory: m.match?.some((x) => x.defaultCategory) ?? false,
      };
    }
    for (const o of open.values()) yield unanswered(o);
  }
}
