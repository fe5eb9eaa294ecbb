import type { Channel, ConversationFilter, ConversationState, MatchInfo, SystemNotice } from '../../protocol/conversation.js';

/** The rows both storage backends keep, as the conversation rules see them. */

export interface ConversationRow {
  id: string;
  bot: string;
  clientName: string;
  channel: Channel;
  /** Hash of the browser's session key, or `api:<client>:<session>` for API conversations. */
  sessionKey: string;
  startedAt: number;
  lastActivityAt: number;
  state: ConversationState;
  heldBy: { id: string; name: string } | null;
  pausedAt: number | null;
  pauseReason: 'takeover' | 'manual' | null;
  /** Incremented on every pause: a bot reply computed before a pause may not commit after it. */
  pauseEpoch: number;
  lastSeq: number;
  lastMessage: { author: MessageRow['author']; text: string; at: number; seq: number } | null;
  fellBack: boolean;
  waitingSince: number | null;
  /** Open end-user channels right now, summed over the Platform instances (read only: see `changePresence`). */
  online: number;
  readOnly: boolean;
}

export interface MessageRow {
  conversationId: string;
  seq: number;
  author: 'user' | 'bot' | 'human' | 'system';
  text: string;
  at: number;
  designer: { id: string; name: string } | null;
  notice: SystemNotice | null;
  match: MatchInfo[] | null;
  /** The end user's client-generated id (user messages), for at-most-once sends. */
  clientId: string | null;
}

export interface DesignerRow {
  id: string;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastActivityAt: number | null;
}

export interface ConversationQuery {
  bot?: string;
  filter: ConversationFilter;
  /** FTS5 query over message texts, already made safe (see `search-query.ts`); or undefined. */
  match?: string;
  /** Substring of the client name (also searched when `match` is set). */
  nameLike?: string;
  /** Keyset cursor: conversations strictly after this position in (lastActivityAt desc, id desc). */
  after?: { lastActivityAt: number; id: string };
  limit: number;
}

/** A conversation as it starts: active, nothing said, nobody connected yet (presence is counted apart). */
export function newConversationRow(o: Pick<ConversationRow, 'id' | 'bot' | 'clientName' | 'channel' | 'sessionKey' | 'startedAt'> & Partial<ConversationRow>): ConversationRow {
  return {
    lastActivityAt: o.startedAt,
    state: 'active',
    heldBy: null,
    pausedAt: null,
    pauseReason: null,
    pauseEpoch: 0,
    lastSeq: 0,
    lastMessage: null,
    fellBack: false,
    waitingSince: null,
    online: 0,
    readOnly: false,
    ...o,
  };
}
