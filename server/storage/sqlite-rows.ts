import type { Channel } from '../../protocol/conversation.js';
import type { ContentReport } from '../../protocol/designer-wire.js';
import type { ConversationRow, DesignerRow, MessageRow } from './rows.js';

/** SQLite rows as better-sqlite3 returns them, and their mapping to the rows of rows.ts. */
export type SqlRow = Record<string, unknown>;

/** Column of each conversation field that maps to exactly one column (heldBy and lastMessage map to several). */
export const CONVERSATION_COLUMN: Record<string, string> = {
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
};

export function toConversation(r: SqlRow): ConversationRow {
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
    fellBack: r.fell_back === 1,
    waitingSince: (r.waiting_since as number | null) ?? null,
    online: r.online as number,
    readOnly: r.read_only === 1,
  };
}

export function toMessage(r: SqlRow): MessageRow {
  return {
    conversationId: r.conversation_id as string,
    seq: r.seq as number,
    author: r.author as MessageRow['author'],
    text: r.text as string,
    at: r.at as number,
    designer: r.designer_id == null ? null : { id: r.designer_id as string, name: r.designer_name as string },
    notice: (r.notice as MessageRow['notice']) ?? null,
    match: r.match == null ? null : JSON.parse(r.match as string),
    clientId: (r.client_id as string | null) ?? null,
  };
}

export function toDesigner(r: SqlRow): DesignerRow {
  return {
    id: r.id as string,
    name: r.name as string,
    tokenHash: r.token_hash as string,
    createdAt: r.created_at as number,
    lastActivityAt: (r.last_activity_at as number | null) ?? null,
  };
}

export function toContentReport(r: SqlRow): ContentReport {
  return { id: r.id as number, bot: r.bot as string, reason: r.reason as ContentReport['reason'], details: r.details as string, at: r.at as number };
}
