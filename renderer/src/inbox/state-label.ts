import type { ConversationView } from '../../../protocol/studio-api.js';

export type StateTone = 'active' | 'mine' | 'other';

/** The state badge: who is answering this conversation, from this designer's point of view. */
export function stateLabel(c: Pick<ConversationView, 'state' | 'heldBy' | 'heldByMe'>): { text: string; tone: StateTone } {
  if (c.state === 'active') return { text: 'Bot active', tone: 'active' };
  if (c.heldByMe) return { text: 'Paused by you', tone: 'mine' };
  return { text: c.heldBy ? `Paused by ${c.heldBy.name}` : 'Paused', tone: 'other' };
}

/** Why this designer cannot reply here, or undefined when they can. */
export function replyBlockedReason(c: Pick<ConversationView, 'state' | 'heldBy' | 'heldByMe' | 'readOnly' | 'channel'>): string | undefined {
  if (c.readOnly) return 'This conversation came through the bot API: it is shown for reading only and cannot be taken over.';
  if (c.state === 'paused' && !c.heldByMe) {
    const who = c.heldBy?.name ?? 'Another designer';
    return `${who} is answering this conversation. You can reply once they switch the bot back on or hand it back.`;
  }
  return undefined;
}

export const CHANNEL_LABELS: Record<ConversationView['channel'], string> = { landing: 'Landing Page', widget: 'Chat Widget', api: 'API' };
