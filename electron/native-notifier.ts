import { app, Notification } from 'electron';
import type { Notifier, StudioNotification } from '../main/notifications.js';

/**
 * Notifications as the desktop shows them: a native notification that, when clicked, brings Studio's window
 * forward on that conversation; the unread count on the dock/taskbar badge (where the desktop has one).
 */
export function nativeNotifier(bringForward: () => void, navigate: (conversationId: string) => void): Notifier {
  // Electron drops a Notification's click handler when the object is garbage collected: keep them until closed.
  const live = new Set<Notification>();
  return {
    show(n: StudioNotification) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: n.title, body: n.body });
      live.add(notification);
      notification.on('click', () => {
        bringForward();
        navigate(n.conversationId);
      });
      notification.on('close', () => live.delete(notification));
      notification.show();
    },
    setBadge(count: number) {
      app.setBadgeCount(count);
    },
  };
}
