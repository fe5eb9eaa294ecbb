import type { ConversationView } from '../../../protocol/studio-api.js';

/**
 * The inbox order: most recent activity first. Ties fall back to the start time and then the id, so the order is
 * total: a row never jumps when an update leaves its activity time alone (a read, a presence change).
 */
export function compareByActivity(a: ConversationView, b: ConversationView): number {
  return b.lastActivityAt - a.lastActivityAt || b.startedAt - a.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function sortByActivity(list: readonly ConversationView[]): ConversationView[] {
  // Main hands the list over in this order already: checking is one pass, sorting 10,000 rows costs more.
  for (let i = 1; i < list.length; i++) if (compareByActivity(list[i - 1]!, list[i]!) > 0) return [...list].sort(compareByActivity);
  return [...list];
}

/** Where `item` belongs in a list already in activity order (binary search). */
function insertionIndex(list: readonly ConversationView[], item: ConversationView): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareByActivity(list[mid]!, item) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Replaces conversations by id (adding new ones) in a list kept in activity order, returning a new array.
 * Linear in the list size, so 200 updates a second over 10,000 conversations stay cheap; the last of several
 * updates to one id in `changed` wins.
 */
export function upsertConversations(list: readonly ConversationView[], changed: readonly ConversationView[]): ConversationView[] {
  if (changed.length === 0) return list as ConversationView[];
  const latest = new Map<string, ConversationView>();
  for (const c of changed) latest.set(c.id, c);
  const kept = list.filter((c) => !latest.has(c.id));
  if (latest.size > 64) return sortByActivity([...kept, ...latest.values()]);
  for (const c of latest.values()) kept.splice(insertionIndex(kept, c), 0, c);
  return kept;
}
