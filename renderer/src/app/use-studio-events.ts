import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { StudioEvent } from '../../../protocol/studio-api.js';
import { applyStudioEvents } from '../data/apply-event.js';
import { eventBatcher } from '../data/event-batcher.js';
import { useStudio } from './studio-context.js';

type NotifyEvent = Extract<StudioEvent, { type: 'notify' }>;

/**
 * Wires main's pushed events into the cache (the frequent ones batched per frame, see eventBatcher), and the two that are about the window rather than data (navigate,
 * notify) into the app. When the browser-mode host connection comes back after a drop, the renderer may have
 * missed events, so everything is fetched once again.
 */
export function useStudioEvents(handlers: { navigate: (conversationId: string) => void; notify: (event: NotifyEvent) => void }) {
  const { client, clock, journal } = useStudio();
  const queryClient = useQueryClient();
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const batcher = eventBatcher(clock, (events) => applyStudioEvents(queryClient, journal, events));
    const offEvents = client.onEvent((event) => {
      batcher.push(event);
      if (event.type === 'navigate') latest.current.navigate(event.conversationId);
      else if (event.type === 'notify') latest.current.notify(event);
    });
    let wasDown = client.transportStatus().state !== 'open';
    const offTransport = client.onTransport((status) => {
      if (status.state !== 'open') {
        wasDown = true;
        return;
      }
      if (wasDown) void queryClient.invalidateQueries();
      wasDown = false;
    });
    return () => {
      offEvents();
      offTransport();
      batcher.dispose();
    };
  }, [client, clock, journal, queryClient]);
}
