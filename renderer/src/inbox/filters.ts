import type { ConversationFilter } from '../../../protocol/conversation.js';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { needsHelp } from './needs-help.js';

export const FILTERS: readonly { id: ConversationFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'live', label: 'Live now' },
  { id: 'paused', label: 'Paused' },
  { id: 'needsHelp', label: 'Needs help' },
];

export function matchesFilter(c: ConversationView, filter: ConversationFilter, now: number): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'live':
      return c.online;
    case 'paused':
      return c.state === 'paused';
    case 'needsHelp':
      return needsHelp(c, now);
  }
}

/** Lower-cased, accents removed, spaces collapsed: "Rústy  sprocket" finds "Rusty Sprocket". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Every word of the query must appear in the client name, the bot, the channel, the holder or the last message. */
export function matchesSearch(c: ConversationView, query: string): boolean {
  const words = foldForSearch(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const haystack = foldForSearch([c.clientName, c.bot, c.channel, c.heldBy?.name ?? '', c.lastMessage?.text ?? ''].join(' '));
  return words.every((w) => haystack.includes(w));
}

/** The visible list: the cached list (already in activity order) through the filter and the search. */
export function visibleConversations(list: readonly ConversationView[], filter: ConversationFilter, query: string, now: number): ConversationView[] {
  const q = query.trim();
  if (filter === 'all' && q === '') return list as ConversationView[];
  return list.filter((c) => matchesFilter(c, filter, now) && (q === '' || matchesSearch(c, q)));
}

/** How many conversations each filter would show (ignoring the search), for the filter buttons. */
export function filterCounts(list: readonly ConversationView[], now: number): Record<ConversationFilter, number> {
  const counts: Record<ConversationFilter, number> = { all: list.length, live: 0, paused: 0, needsHelp: 0 };
  for (const c of list) {
    if (c.online) counts.live += 1;
    if (c.state === 'paused') counts.paused += 1;
    if (needsHelp(c, now)) counts.needsHelp += 1;
  }
  return counts;
}
