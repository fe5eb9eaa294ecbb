import { describe, expect, it } from 'vitest';
import { filterCounts, matchesSearch, visibleConversations } from '../../../renderer/src/inbox/filters.js';
import { needsHelp, needsHelpReason } from '../../../renderer/src/inbox/needs-help.js';
import { conversation, T0 } from './support/fixtures.js';

const list = [
  conversation('live', { clientName: 'Rusty Sprocket', online: true, lastMessage: { author: 'user', text: 'Where is my parcel?', at: T0, seq: 1 } }),
  conversation('gone', { clientName: 'Shiny Gear', online: false, bot: 'helpdesk' }),
  conversation('held', { clientName: 'Brave Bolt', online: false, state: 'paused', heldBy: { id: 'd2', name: 'Ana' } }),
  conversation('fell', { clientName: 'Quiet Piston', online: true, fellBack: true }),
  conversation('waits', { clientName: 'Tiny Rivet', online: false, state: 'paused', heldBy: { id: 'me', name: 'Me' }, heldByMe: true, waitingSince: T0 - 61_000 }),
];
const ids = (l: { id: string }[]) => l.map((c) => c.id);

describe('inbox filters', () => {
  it('"All" shows everything in the given order', () => {
    expect(ids(visibleConversations(list, 'all', '', T0))).toEqual(['live', 'gone', 'held', 'fell', 'waits']);
  });

  it('"Live now" shows conversations whose user has the chat open', () => {
    expect(ids(visibleConversations(list, 'live', '', T0))).toEqual(['live', 'fell']);
  });

  it('"Paused" shows conversations a human holds, whoever it is', () => {
    expect(ids(visibleConversations(list, 'paused', '', T0))).toEqual(['held', 'waits']);
  });

  it('"Needs help" shows fallbacks and users waiting on a human for more than a minute', () => {
    expect(ids(visibleConversations(list, 'needsHelp', '', T0))).toEqual(['fell', 'waits']);
  });

  it('counts each filter', () => {
    expect(filterCounts(list, T0)).toEqual({ all: 5, live: 2, paused: 2, needsHelp: 2 });
  });

  it('searches names, bots, holders and the last message, ignoring case and accents', () => {
    expect(ids(visibleConversations(list, 'all', 'rusty', T0))).toEqual(['live']);
    expect(ids(visibleConversations(list, 'all', 'PARCEL', T0))).toEqual(['live']);
    expect(ids(visibleConversations(list, 'all', 'helpdesk', T0))).toEqual(['gone']);
    expect(ids(visibleConversations(list, 'all', 'ana', T0))).toEqual(['held']);
    expect(matchesSearch(conversation('x', { clientName: 'Rústy Sprocket' }), 'rusty')).toBe(true);
  });

  it('needs every word of the query, in any order', () => {
    expect(ids(visibleConversations(list, 'all', 'sprocket rusty', T0))).toEqual(['live']);
    expect(ids(visibleConversations(list, 'all', 'rusty gear', T0))).toEqual([]);
  });

  it('combines the filter and the search', () => {
    expect(ids(visibleConversations(list, 'paused', 'tiny', T0))).toEqual(['waits']);
    expect(ids(visibleConversations(list, 'live', 'tiny', T0))).toEqual([]);
  });
});

describe('needs help', () => {
  it('flags a user waiting on a human only after a full minute', () => {
    const c = conversation('w', { waitingSince: T0 });
    expect(needsHelp(c, T0 + 60_000)).toBe(false);
    expect(needsHelp(c, T0 + 60_001)).toBe(true);
    expect(needsHelpReason(c, T0 + 60_001)).toBe('Waiting for a human');
  });

  it('flags a conversation where the bot fell back to its default category', () => {
    expect(needsHelp(conversation('f', { fellBack: true }), T0)).toBe(true);
    expect(needsHelpReason(conversation('f', { fellBack: true }), T0)).toBe('Bot did not know an answer');
  });

  it('does not flag a conversation going well', () => {
    expect(needsHelp(conversation('ok'), T0)).toBe(false);
    expect(needsHelpReason(conversation('ok'), T0)).toBeUndefined();
  });
});
