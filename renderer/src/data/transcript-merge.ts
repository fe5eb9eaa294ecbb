import type { Message } from '../../../protocol/conversation.js';

/** A conversation's transcript as far as the renderer has loaded it: a gap-free run of messages ending at the latest. */
export interface TranscriptData {
  messages: Message[];
  /** Older messages exist on the Platform that are not loaded yet. */
  hasMore: boolean;
}

/**
 * Adds messages to a loaded transcript, once each and in sequence order, whatever order they came in (a page
 * fetched while events were arriving, an event repeated after a reconnect).
 */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return existing as Message[];
  const last = existing.at(-1);
  // The common case, a live message after the last one: no re-sort.
  if (last && incoming.every((m, i) => m.seq > (i === 0 ? last.seq : incoming[i - 1]!.seq))) return [...existing, ...incoming];
  const bySeq = new Map<number, Message>();
  for (const m of existing) bySeq.set(m.seq, m);
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** True when appending `incoming` to `existing` would skip sequence numbers (the renderer missed something). */
export function leavesGap(existing: readonly Message[], incoming: readonly Message[]): boolean {
  const last = existing.at(-1);
  const first = incoming.reduce<number | undefined>((min, m) => (min === undefined || m.seq < min ? m.seq : min), undefined);
  return last !== undefined && first !== undefined && first > last.seq + 1;
}

/**
 * Combines a freshly fetched latest page with what the cache already holds. When the page does not reach back to
 * the cached messages (too much happened while the renderer was away), the cached run is dropped and older
 * messages are loaded again on scroll: a transcript with a hole in it would be a lie.
 */
export function combineLatestPage(cached: TranscriptData | undefined, page: TranscriptData): TranscriptData {
  if (!cached || cached.messages.length === 0) return page;
  const firstFetched = page.messages[0];
  if (firstFetched && leavesGap(cached.messages, page.messages)) return page;
  const messages = mergeMessages(cached.messages, page.messages);
  const reachesBack = firstFetched === undefined || cached.messages[0]!.seq <= firstFetched.seq;
  return { messages, hasMore: reachesBack ? cached.hasMore : page.hasMore };
}
