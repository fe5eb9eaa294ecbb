import pg from 'pg';
import type { Channel } from '../../protocol/conversation.js';
import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationRow, DesignerRow, MessageRow } from './rows.js';

/** PostgreSQL rows as they come back (BIGINT already a number, see `postgresTypes`) and how they become our rows. */

export type Row = Record<string, unknown>;

const BIGINT_OID = 20;

/**
 * node-postgres returns BIGINT as a string (it may exceed 2^53). Ours are epoch ms, ids and counts, all far below
 * that, so they are parsed to numbers; a value that would not survive as a number is an error, never a silent round.
 */
export const postgresTypes = new pg.TypeOverrides();
postgresTypes.setTypeParser(BIGINT_OID, (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`a BIGINT outside the safe integer range: ${text}`);
  return value;
});

/** The conversation columns a patch may set, by field (a fixed table: column names never come from input). */
export const CONVERSATION_COLUMN = {
  clientName: 'client_name',
  channel: 'channel',
  sessionKey: 'session_key',
  startedAt: 'started_at',
  lastActivityAt: 'last_activity_at',
  state: 'state',
  pausedAt: 'paused_at',
  pauseReason: 'pause_reason',
  pauseEpoch: 'pause_epoch',
  lastSeq: 'last_seq',
  fellBack: 'fell_back',
  waitingSince: 'waiting_since',
  readOnly: 'read_only',
} as const;

/** The columns of a whole conversation row, in insert order, with their values (`online` starts at 0: see changePresence). */
export function conversationValues(c: ConversationRow): unknown[] {
  return [
    c.id,
    c.bot,
    c.clientName,
    c.channel,
    c.sessionKey,
    c.startedAt,
    c.lastActivityAt,
    c.state,
    c.heldBy?.id ?? null,
    c.heldBy?.name ?? null,
    c.pausedAt,
    c.pauseReason,
    c.pauseEpoch,
    c.lastSeq,
    c.lastMessage?.author ?? null,
    c.lastMessage?.text ?? null,
    c.lastMessage?.at ?? null,
    c.fellBack,
    c.waitingSince,
    0,
    c.readOnly,
  ];
}

export const CONVERSATION_INSERT_COLUMNS =
  'id, bot, client_name, channel, session_key, started_at, last_activity_at, state, held_by_id, held_by_name, paused_at, ' +
  'pause_reason, pause_epoch, last_seq, last_author, last_text, last_at, fell_back, waiting_since, online, read_only';

export function toConversation(r: Row): ConversationRow {
  return {
    id: r.id as string,
    bot: r.bot as string,
    clientName: r.client_name as string,
    channel: r.channel as Channel,
    sessionKey: r.session_key as string,
    startedAt: r.started_at as number,
    lastActivityAt: r.last_activity_at as number,
    state: r.state as ConversationRow['state'],
    heldBy: r.held_by_id == null ? null : { id: r.held_by_id as string, name: r.held_by_name as string },
    pausedAt: (r.paused_at as number | null) ?? null,
    pauseReason: (r.pause_reason as ConversationRow['pauseReason']) ?? null,
    pauseEpoch: r.pause_epoch as number,
    lastSeq: r.last_seq as number,
    lastMessage:
      r.last_author == null
        ? null
        : { author: r.last_author as MessageRow['author'], text: r.last_text as string, at: r.last_at as number, seq: r.last_seq as number },
    fellBack: r.fell_back === true,
    waitingSince: (r.waiting_since as number | null) ?? null,
    online: r.online as number,
    readOnly: r.read_only === true,
  };
}

export function messageValues(m: MessageRow): unknown[] {
  return [
    m.conversationId,
    m.seq,
    m.author,
    m.text,
    m.at,
    m.designer?.id ?? null,
    m.designer?.name ?? null,
    m.notice,
    m.match ? JSON.stringify(m.match) : null,
    m.clientId,
  ];
}

export function toMessage(r: Row): MessageRow {
  return {
    conversationId: r.conversation_id as string,
    seq: r.seq as number,
    author: r.author as MessageRow['author'],
    text: r.text as string,
    at: r.at as number,
    designer: r.designer_id == null ? null : { id: r.designer_id as string, name: r.designer_name as string },
    notice: (r.notice as MessageRow['notice']) ?? null,
    match: r.match == null ? null : (JSON.parse(r.match as string) as MessageRow['match']),
    clientId: (r.client_id as string | null) ?? null,
  };
}

export function toDesigner(r: Row): DesignerRow {
  return {
    id: r.id as string,
    name: r.name as string,
    tokenHash: r.token_hash as string,
    createdAt: r.created_at as number,
    lastActivityAt: (r.last_activity_at as number | null) ?? null,
  };
}

export function toEvent(bot: string, r: Row): EventEnvelope {
  return { bot, id: r.id as number, at: r.at as number, event: JSON.parse(r.body as string) as DomainEvent };
}

export function toContentReport(r: Row): ContentReport {
  return { id: r.id as number, bot: r.bot as string, reason: r.reason as ContentReport['reason'], details: r.details as string, at: r.at as number };
}
