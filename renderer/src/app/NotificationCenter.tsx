import { useCallback, useEffect, useRef, useState } from 'react';
import type { TimerHandle } from '../../../protocol/clock.js';
import { useStudio } from './studio-context.js';
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
 * designer allowed them, else an in-page toast, so nothing is silently dropped. Clicking either opens the
 * conversation.
 */
export function useNotificationCenter(api: WebNotificationApi, open: (conversationId: string) => void) {
  const { clock } = useStudio();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, TimerHandle>());

  const dismiss = useCallback(
    (id: number) => {
      const timer = timers.current.get(id);
      if (timer !== undefined) clock.clearTimeout(timer);
      timers.current.delete(id);
      setToasts((list) => list.filter((t) => t.id !== id));
    },
    [clock],
  );

  useEffect(() => {
    const all = timers.current;
    return () => {
      for (const timer of all.values()) clock.clearTimeout(timer);
    };
  }, [clock]);

  const notify = useCallback(
    (event: { title: string; body: string; conversationId: string }) => {
      if (api.show(event.title, { body: event.body, tag: event.conversationId }, () => open(event.conversationId))) return;
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-3), { id, ...event }]);
      timers.current.set(
        id,
        clock.setTimeout(() => dismiss(id), TOAST_MS),
      );
    },
    [api, clock, dismiss, open],
  );

  return { toasts, notify, dismiss };
}

export function Toasts({ toasts, onOpen, onDismiss }: { toasts: readonly Toast[]; onOpen: (conversationId: string) => void; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
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
