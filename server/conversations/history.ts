import type { ConversationFilter, ConversationSummary, Message } from '../../protocol/conversation.js';
import { LIMITS } from '../../protocol/limits.js';
import type { ConversationRow, StorageReads } from '../storage/storage.js';
import { toMessage, toSummary } from './conversation-service.js';
import { RuleError } from './rule-errors.js';
import { decodeCursor, encodeCursor, toFtsQuery } from './search-query.js';

/** Conversation history for designers: filtered, searchable, paged lists; transcripts; exports. */
export class ConversationHistory {
  constructor(private readonly storage: StorageReads) {}

  async list(q: { bot?: string; filter: ConversationFilter; search?: string; cursor?: string; limit: number }): Promise<{ conversations: ConversationSummary[]; nextCursor?: string }> {
    const search = q.search?.trim();
    const match = search ? toFtsQuery(search) : undefined;
    let after: { lastActivityAt: number; id: string } | undefined;
    if (q.cursor) {
      after = decodeCursor(q.cursor);
      if (!after) throw RuleError.invalid('this cursor is not from a conversation list: start again without it');
    }
    const rows = await this.storage.listConversations({
      bot: q.bot,
      filter: q.filter,
      match,
      nameLike: search || undefined,
      after,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const result: { conversations: ConversationSummary[]; nextCursor?: string } = { conversations: page.map(toSummary) };
    if (rows.length > q.limit && last) result.nextCursor = encodeCursor(last);
    return result;
  }

  /** The most recently active conversations of a bot: what a designer's snapshot shows first. */
  async recent(bot: string, limit: number): Promise<ConversationSummary[]> {
    return (await this.storage.listConversations({ bot, filter: 'all', limit })).map(toSummary);
  }

  async get(conversationId: string): Promise<ConversationSummary> {
    return toSummary(await this.mustGet(conversationId));
  }

  /** A page of messages, oldest first, ending just before `beforeSeq` (default: the newest). */
  async transcript(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<{ messages: Message[]; hasMore: boolean }> {
    const c = await this.mustGet(conversationId);
    const rows = await this.storage.messagesBefore(conversationId, beforeSeq ?? c.lastSeq + 1, limit);
    const first = rows[0];
    return { messages: rows.map(toMessage), hasMore: first ? first.seq > 1 : false };
  }

  /** The whole conversation as a file a designer can save: plain text, or JSON with all metadata. */
  async export(conversationId: string, format: 'text' | 'json'): Promise<{ fileName: string; mimeType: string; text: string }> {
    const c = await this.mustGet(conversationId);
    const messages = (await this.storage.messagesAfter(conversationId, 0, LIMITS.conversationMessages)).map(toMessage);
    const base = `transcript-${c.bot}-${slug(c.clientName)}-${new Date(c.startedAt).toISOString().slice(0, 10)}`;
    if (format === 'json') {
      return { fileName: `${base}.json`, mimeType: 'application/json', text: `${JSON.stringify({ conversation: toSummary(c), messages }, null, 2)}\n` };
    }
    return { fileName: `${base}.txt`, mimeType: 'text/plain; charset=utf-8', text: transcriptText(c, messages) };
  }

  private async mustGet(conversationId: string): Promise<ConversationRow> {
    const c = await this.storage.getConversation(conversationId);
    if (!c) throw RuleError.notFound(conversationId);
    return c;
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'client';
}

const stamp = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19);

function speaker(m: Message): string {
  switch (m.author) {
    case 'user':
      return 'User';
    case 'bot':
      return 'Bot';
    case 'human':
      return `${m.designer?.name ?? 'Designer'} (human)`;
    case 'system':
      return `Notice (${m.notice ?? 'system'})`;
  }
}

function transcriptText(c: ConversationRow, messages: Message[]): string {
  const lines = [
    `Conversation with ${c.clientName}`,
    `Bot: ${c.bot}   Channel: ${c.channel}   Started: ${stamp(c.startedAt)} UTC   Messages: ${messages.length}`,
    '',
  ];
  for (const m of messages) {
    lines.push(`[${stamp(m.at)}] ${speaker(m)}: ${m.text}`);
    for (const match of m.match ?? []) {
      const parts = [`pattern ${match.pattern}`];
      if (match.that && match.that !== '*') parts.push(`that ${match.that}`);
      if (match.topic && match.topic !== '*') parts.push(`topic ${match.topic}`);
      if (match.file) parts.push(`file ${match.file}`);
      if (match.defaultCategory) parts.push('default category');
      lines.push(`    (${parts.join(', ')})`);
    }
  }
  return `${lines.join('\n')}\n`;
}
