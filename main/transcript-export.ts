import type { Message } from '../protocol/conversation.js';
import type { ConversationView } from '../protocol/studio-api.js';

/** A file name that is safe on every OS: the client name and date, nothing a path could be made of. */
export function transcriptFileName(view: Pick<ConversationView, 'clientName' | 'startedAt'>): string {
  const name = view.clientName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'conversation';
  const day = new Date(view.startedAt).toISOString().slice(0, 10);
  return `${name}-${day}.txt`;
}

/** A plain-text transcript a designer can read or attach to a ticket: one line per message, in order. */
export function formatTranscript(view: Pick<ConversationView, 'clientName' | 'bot' | 'channel' | 'startedAt'>, messages: Message[]): string {
  const lines = [`Conversation with ${view.clientName} (bot ${view.bot}, ${view.channel}), started ${new Date(view.startedAt).toISOString()}`, ''];
  for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
    const who = m.author === 'user' ? view.clientName : m.author === 'bot' ? 'Bot' : m.author === 'human' ? `${m.designer?.name ?? 'Designer'} (human)` : 'Notice';
    lines.push(`[${new Date(m.at).toISOString()}] ${who}: ${m.text.replace(/\r?\n/g, '\n    ')}`);
  }
  return lines.join('\n') + '\n';
}
