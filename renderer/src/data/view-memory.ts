import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { Clock, TimerHandle } from '../../../protocol/clock.js';
import type { ViewMemory, ViewMemoryPatch } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import type { StudioClient } from '../client/studio-client.js';
import { describeError } from '../client/studio-client.js';
import { queryKeys } from './query-keys.js';

/** A draft is saved this long after the last keystroke (and at once when the page goes away). */
export const DRAFT_SAVE_DELAY_MS = 400;
/** A transcript's scroll position is saved this long after scrolling stops. */
export const SCROLL_SAVE_DELAY_MS = 300;

const EMPTY: ViewMemory = { drafts: {}, scroll: {} };

/** Whatever main answered (an older main may not know the method): always a complete memory. */
export function normaliseMemory(m: Partial<ViewMemory> | undefined): ViewMemory {
  return { ...m, drafts: m?.drafts ?? {}, scroll: m?.scroll ?? {} };
}

export async function fetchViewMemory(client: StudioClient): Promise<ViewMemory> {
  try {
    return normaliseMemory(await client.invoke('memory.get', {}));
  } catch (error) {
    // Not remembering is no reason to keep the designer out of Studio.
    console.warn('Studio could not read what it remembered of the last session:', describeError(error));
    return EMPTY;
  }
}

/** What main remembered when this page loaded; read once, then the components own their state and save it. */
export function useViewMemory() {
  const { client } = useStudio();
  return useQuery({ queryKey: queryKeys.viewMemory, queryFn: () => fetchViewMemory(client), staleTime: Infinity, gcTime: Infinity });
}

/**
 * Keeps the cached copy current for views that mount later in this page (the inbox after a visit to Training, a
 * transcript opened again) without notifying anyone: it is only read when something mounts, and a notification per
 * keystroke would re-render the whole shell.
 */
export function updateCachedMemory(queryClient: QueryClient, change: (m: ViewMemory) => void): void {
  const m = queryClient.getQueryData<ViewMemory>(queryKeys.viewMemory);
  if (m) change(m);
}

function save(client: StudioClient, patch: ViewMemoryPatch): void {
  client.invoke('memory.update', patch).catch((error: unknown) => console.warn('Studio could not remember this:', describeError(error)));
}

/**
 * Saves per-conversation values (drafts, scroll positions) a moment after the last change, and everything still
 * waiting at once when the page is hidden or unloaded (a reload, a closed window), so nothing typed is lost.
 */
export class DebouncedMemory<T> {
  private readonly pending = new Map<string, T>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly write: (id: string, value: T) => void,
  ) {}

  set(id: string, value: T): void {
    this.pending.set(id, value);
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const entries = [...this.pending];
    this.pending.clear();
    for (const [id, value] of entries) this.write(id, value);
  }
}

/** One debounced saver for the lifetime of the component, flushed on pagehide and on unmount. */
function useDebouncedMemory<T>(delayMs: number, toPatch: (id: string, value: T) => ViewMemoryPatch): DebouncedMemory<T> {
  const { client, clock } = useStudio();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- toPatch is a fixed shape per caller
  const saver = useMemo(() => new DebouncedMemory<T>(clock, delayMs, (id, value) => save(client, toPatch(id, value))), [client, clock, delayMs]);
  useEffect(() => {
    const flush = () => saver.flush();
    const onHidden = () => document.visibilityState === 'hidden' && saver.flush();
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      document.removeEventListener('visibilitychange', onHidden);
      saver.flush();
    };
  }, [saver]);
  return saver;
}

export function useDraftSaver(): DebouncedMemory<string> {
  return useDebouncedMemory<string>(DRAFT_SAVE_DELAY_MS, (conversationId, text) => ({ draft: { conversationId, text } }));
}

export function useScrollSaver(): DebouncedMemory<number> {
  return useDebouncedMemory<number>(SCROLL_SAVE_DELAY_MS, (conversationId, fromBottom) => ({ scroll: { conversationId, fromBottom } }));
}

/** Remembers the view and the open conversation whenever they change. */
export function useRememberPlace(view: string, conversationId: string | undefined, ready: boolean): void {
  const { client } = useStudio();
  useEffect(() => {
    if (ready) save(client, { view, conversationId: conversationId ?? null });
  }, [client, view, conversationId, ready]);
}
