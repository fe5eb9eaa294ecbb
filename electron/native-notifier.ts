import { app, Notification } from 'electron';
import type { Notifier, StudioNotification } from '../main/notifications.js';
import { notificationText } from './notification-text.js';
import type { WarningLog } from './open-in-browser.js';

export interface NativeNotifierOptions {
  platform: NodeJS.Platform;
  /** The notification was clicked: show Studio on that conversation (opening a window if there is none). */
  showConversation: (conversationId: string) => void;
  /** A notification was shown: a user is waiting (the taskbar flashes, the dock bounces). */
  onUserWaiting?: () => void;
  log?: WarningLog;
}

export interface NativeNotifier extends Notifier {
  /** Sends the last count again (a window now exists for the dock or launcher entry to attach it to). */
  reapplyBadge(): void;
}

/**
 * Notifications as the desktop shows them: a native notification that, when clicked, brings Studio's window
 * forward on that conversation; the unread count on the dock/launcher badge (macOS, and Linux docks that speak
 * the LauncherEntry API; Windows has no count badge: the taskbar button flashes instead).
 */
export function nativeNotifier(o: NativeNotifierOptions): NativeNotifier {
  // Electron drops a Notification's click handler when the object is garbage collected: keep them until closed.
  const live = new Set<Notification>();
  let badge: number | undefined;
  let badgeRefusalLogged = false;
  const applyBadge = (count: number) => {
    // Windows has no count badge (app.setBadgeCount is macOS and Linux only).
    if (o.platform === 'win32') return;
    // false where the desktop has no badge (an unsigned macOS build, a Linux dock without LauncherEntry): said once.
    if (!app.setBadgeCount(count) && count > 0 && !badgeRefusalLogged) {
      badgeRefusalLogged = true;
      o.log?.warn({ count }, 'The desktop did not take the unread badge.');
    }
  };
  return {
    show(n: StudioNotification) {
      o.onUserWaiting?.();
      if (!Notification.isSupported()) return;
      const notification = new Notification(notificationText(o.platform, n.title, n.body));
      live.add(notification);
      notification.on('click', () => o.showConversation(n.conversationId));
      notification.on('close', () => live.delete(notification));
      // macOS (unsigned, or notifications refused in System Settings) and Windows (no Start menu shortcut) report
      // here instead of showing anything.
      notification.on('failed', (_event, error) => {
        live.delete(notification);
        o.log?.warn({ error, title: n.title }, 'The desktop refused a notification.');
      });
      notification.show();
    },
    setBadge(count: number) {
      badge = count;
      applyBadge(count);
    },
    reapplyBadge() {
      if (badge !== undefined) applyBadge(badge);
    },
  };
}
