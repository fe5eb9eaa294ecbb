import type { ConversationSummary, Message } from '../../../../protocol/conversation.js';
import type { EventEnvelope } from '../../../../protocol/designer-wire.js';
import type { LiveTrainingSettings } from '../../../../protocol/bot-settings.js';

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

export function summary(id: string, over: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    bot: 'starter',
    clientName: `Client ${id}`,
    channel: 'landing',
    startedAt: T0,
    lastActivityAt: T0,
    state: 'active',
    online: true,
    lastSeq: 0,
    fellBack: false,
    readOnly: false,
    ...over,
  };
}

export function message(conversationId: string, seq: number, author: Message['author'], text: string, over: Partial<Message> = {}): Message {
  return { id: `${conversationId}-${seq}`, conversationId, seq, author, text, at: T0 + seq * 1000, ...over };
}

export function envelope(id: number, event: EventEnvelope['event'], bot = 'starter'): EventEnvelope {
  return { bot, id, at: T0 + id, event };
}

export const settings: LiveTrainingSettings = {
  pausedMessage: 'A human is taking over.',
  reactivatedMessage: 'The bot is back.',
  inactivityMessage: 'The bot is back after a pause.',
  inactivityTimeoutMs: 15 * 60_000,
  allowedOrigins: [],
  appearance: {
    title: 'Starter',
    subtitle: '',
    openingMessage: '',
    placeholder: 'Type',
    avatarUrl: '',
    themeColour: '#336699',
    textColour: '#ffffff',
    callToAction: { enabled: false, title: '', text: '', buttonText: '' },
    humanStyle: 'bot',
    systemStyle: 'notice',
  },
  landingPage: { title: 'Starter', description: '', imageUrl: '', author: { name: '', email: '', website: '', links: [] } },
};

export function botInfo(name: string, lastEventId = 0, over: Partial<LiveTrainingSettings> = {}) {
  return { name, lastEventId, settings: { ...settings, ...over } };
}
