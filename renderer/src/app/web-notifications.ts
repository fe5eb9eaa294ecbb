/** What the renderer needs of the Web Notifications API (injected, so tests and the bench can observe it). */
export interface WebNotificationApi {
  permission(): NotificationPermission | 'unsupported';
  requestPermission(): Promise<NotificationPermission | 'unsupported'>;
  show(title: string, options: { body: string; tag: string }, onClick: () => void): boolean;
}

export const browserNotifications: WebNotificationApi = {
  permission: () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission),
  requestPermission: async () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.requestPermission()),
  show(title, options, onClick) {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
    const notification = new Notification(title, options);
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
    return true;
  },
};

/** "(3) Live Training Studio": the unread count where a browser tab shows it. */
export function titleWithBadge(base: string, count: number): string {
  return count > 0 ? `(${count > 999 ? '999+' : count}) ${base}` : base;
}
