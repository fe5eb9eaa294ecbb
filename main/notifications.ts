import type { ConversationView, StudioSettingsView } from '../protocol/studio-api.js';
import type { CacheChange } from './conversation-cache.js';

export interface StudioNotification {
  title: string;
  body: string;
  conversationId: string;
}

/**
 * Where notifications and the unread badge go: native `Notification` and `app.setBadgeCount` in Electron
 * (electron/), Studio events the renderer turns into Web Notifications and a title badge in browser mode.
 */
export interface Notifier {
  show(notification: StudioNotification): void;
  setBadge(count: number): void;
}

export interface NotificationPolicyOptions {
  notifier: Notifier;
  settings: () => StudioSettingsView['notifications'];
  /** Whether a Studio window has focus right now. */
  isFocused: () => boolean;
  totalUnread: () => number;
}

const BODY_CHARS = 160;

/**
 * When Studio speaks up (issue 5): a notification for every new conversation, and for user messages in a
 * conversation this designer holds while Studio is not in front; each kind can be switched off. The badge is the
 * total of unread user messages (or nothing, when switched off).
 */
export class NotificationPolicy {
  private badge = -1;

  constructor(private readonly o: NotificationPolicyOptions) {}

  onCacheChange(change: CacheChange): void {
    const prefs = this.o.settings();
    if (change.type === 'started' && prefs.newConversation && !change.view.readOnly) {
      this.o.notifier.show({ title: 'New conversation', body: `${change.view.clientName} started talking to ${change.view.bot}.`, conversationId: change.view.id });
    }
    if (change.type === 'message' && this.isHeldUserMessage(change.view, change.message.author) && prefs.heldConversationMessage && !this.o.isFocused()) {
      this.o.notifier.show({ title: change.view.clientName, body: clip(change.message.text), conversationId: change.view.id });
    }
    if (change.type !== 'appended') this.updateBadge();
  }

  /** Re-applies the badge (a setting changed). */
  updateBadge(): void {
    const count = this.o.settings().badge ? this.o.totalUnread() : 0;
    if (count === this.badge) return;
    this.badge = count;
    this.o.notifier.setBadge(count);
  }

  private isHeldUserMessage(view: ConversationView, author: string): boolean {
    return author === 'user' && view.heldByMe;
  }
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > BODY_CHARS ? oneLine.slice(0, BODY_CHARS - 1) + '…' : oneLine;
}
