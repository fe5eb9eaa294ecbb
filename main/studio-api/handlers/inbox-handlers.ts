import type { StudioResult } from '../../../protocol/studio-api.js';
import type { ConversationCache } from '../../conversation-cache.js';
import type { PlatformLink } from '../../platform-link/link.js';
import type { StudioHandlers } from '../dispatcher.js';

type InboxMethod =
  | 'conversations.list'
  | 'conversations.search'
  | 'conversation.transcript'
  | 'conversation.reply'
  | 'conversation.setBotActive'
  | 'conversation.markRead'
  | 'conversation.exportTranscript';

export interface InboxDeps {
  cache: ConversationCache;
  requireLink: () => PlatformLink;
  /** One of the designer's own actions (a reply, a toggle) counts as activity. */
  activity: () => void;
}

/** The Studio API's inbox: the conversation list, search, transcripts, replies, the bot toggle, read marks, export. */
export function inboxHandlers(d: InboxDeps): Pick<StudioHandlers, InboxMethod> {
  return {
    'conversations.list': () => ({ conversations: d.cache.views() }),
    'conversations.search': async ({ query, cursor }) => {
      const page = await d.requireLink().request('conversation.list', { search: query, cursor, filter: 'all', limit: 100 });
      return { conversations: d.cache.applyList(page.conversations), nextCursor: page.nextCursor };
    },
    'conversation.transcript': ({ conversationId, beforeSeq, limit }) => d.requireLink().request('conversation.transcript', { conversationId, beforeSeq, limit: limit ?? 200 }),
    'conversation.reply': async ({ conversationId, text }) => {
      const link = d.requireLink();
      d.activity();
      const result = await link.request('conversation.reply', { conversationId, text });
      return { tookOver: result.tookOver };
    },
    'conversation.setBotActive': async ({ conversationId, active }) => {
      const link = d.requireLink();
      d.activity();
      const result = await link.request('conversation.setBotActive', { conversationId, active });
      return { changed: result.changed };
    },
    'conversation.markRead': ({ conversationId, seq }) => {
      d.cache.markRead(conversationId, seq);
      return {};
    },
    'conversation.exportTranscript': async ({ conversationId }): Promise<StudioResult<'conversation.exportTranscript'>> => {
      const file = await d.requireLink().request('conversation.export', { conversationId, format: 'text' });
      return { fileName: file.fileName, text: file.text };
    },
  };
}
