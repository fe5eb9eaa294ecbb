import { useCallback, useEffect, useRef, useState } from 'react';
import type { TimerHandle } from '../../../protocol/clock.js';
import { useStudio } from './studio-context.js';
import { isWindowFocused } from './use-window-focus.js';
import type { WebNotificationApi } from './web-notifications.js';

export interface Toast {
  id: number;
  title: string;
  body: string;
  conversationId: string;
}

const TOAST_MS = 10_000;

/**
 * Browser mode: main decides a notification is due and sends `notify`; it becomes a Web Notification when the
 * designer allowed them. Otherwise an in-page toast stands in, but only where it adds something: while the
 * inbox is in front of a focused window the new row and the unread count already say it, and a toast would only
 * cover controls. A toast raised while the window is in the background waits for the designer to come back
 * before its 10 seconds start. Clicking either kind opens the conversation.
 */
export function useNotificationCenter(api: WebNotificationApi, open: (conversationId: string) => void) {
  const { clock } = useStudio();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, TimerHandle>());
  const waiting = useRef(new Set<number>());

  const dismiss = useCallback(
    (id: number) => {
      const timer = timers.current.get(id);
      if (timer !== undefined) clock.clearTimeout(timer);
      timers.current.delete(id);
      waiting.current.delete(id);
      setToasts((list) => list.filter((t) => t.id !== id));
    },
    [clock],
  );

  const startTimer = useCallback((id: number) => timers.current.set(id, clock.setTimeout(() => dismiss(id), TOAST_MS)), [clock, dismiss]);

  useEffect(() => {
    const all = timers.current;
    const pending = waiting.current;
    const onFocus = () => {
      for (const id of pending) startTimer(id);
      pending.clear();
    };
    window.addEventListener('focus', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      for (const timer of all.values()) clock.clearTimeout(timer);
    };
  }, [clock, startTimer]);

  const notify = useCallback(
    (event: { title: string; body: string; conversationId: string }, inboxInFront: boolean) => {
      if (api.show(event.title, { body: event.body, tag: event.conversationId }, () => open(event.conversationId))) return;
      const focused = isWindowFocused();
      if (focused && inboxInFront) return;
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-3), { id, ...event }]);
      if (focused) startTimer(id);
      else waiting.current.add(id);
    },
    [api, open, startTimer],
  );

  return { toasts, notify, dismiss };
}

export function Toasts({ toasts, onOpen, onDismiss }: { toasts: readonly Toast[]; onOpen: (conversationId: string) => void; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" role="region" aria-label="New activity" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast">
          <p className="toast-title">{t.title}</p>
          <p className="toast-body">{t.body}</p>
          <div className="toast-actions">
            <button
              type="button"
              className="primary"
              onClick={() => {
                onOpen(t.conversationId);
                onDismiss(t.id);
              }}
            >
              Open
            </button>
            <button type="button" onClick={() => onDismiss(t.id)} aria-label={`Dismiss: ${t.title}`}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
