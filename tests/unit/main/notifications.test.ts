import { describe, expect, it } from 'vitest';
import { NotificationPolicy, type StudioNotification } from '../../../main/notifications.js';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { message, summary } from './support/fixtures.js';

function policy(over: { focused?: boolean; prefs?: Partial<{ newConversation: boolean; heldConversationMessage: boolean; badge: boolean }>; unread?: number } = {}) {
  const shown: StudioNotification[] = [];
  const badges: number[] = [];
  const state = { focused: over.focused ?? false, unread: over.unread ?? 0, prefs: { newConversation: true, heldConversationMessage: true, badge: true, ...over.prefs } };
  const p = new NotificationPolicy({
    notifier: { show: (n) => shown.push(n), setBadge: (c) => badges.push(c) },
    settings: () => state.prefs,
    isFocused: () => state.focused,
    totalUnread: () => state.unread,
  });
  return { p, shown, badges, state };
}

const view = (id: string, over: Partial<ConversationView> = {}): ConversationView => ({ ...summary(id), unread: 0, heldByMe: false, ...over });

describe('notification policy', () => {
  it('announces every new conversation, focused or not', () => {
    const { p, shown, state } = policy({ focused: true });
    p.onCacheChange({ type: 'started', view: view('a', { clientName: 'Rusty Sprocket' }) });
    state.focused = false;
    p.onCacheChange({ type: 'started', view: view('b', { clientName: 'Chrome Gizmo' }) });
    expect(shown).toEqual([
      { title: 'New conversation', body: 'Rusty Sprocket started talking to starter.', conversationId: 'a' },
      { title: 'New conversation', body: 'Chrome Gizmo started talking to starter.', conversationId: 'b' },
    ]);
  });

  it('does not announce read-only API conversations', () => {
    const { p, shown } = policy();
    p.onCacheChange({ type: 'started', view: view('a', { channel: 'api', readOnly: true }) });
    expect(shown).toEqual([]);
  });

  it('announces user messages in a conversation you hold, only while Studio is not in front', () => {
    const { p, shown, state } = policy({ focused: true });
    const held = view('a', { heldByMe: true, clientName: 'Rusty Sprocket' });
    p.onCacheChange({ type: 'message', view: held, message: message('a', 3, 'user', 'are you there?') });
    expect(shown).toEqual([]);
    state.focused = false;
    p.onCacheChange({ type: 'message', view: held, message: message('a', 4, 'user', 'hello?\n\nanyone') });
    p.onCacheChange({ type: 'message', view: held, message: message('a', 5, 'system', 'The bot is back.') });
    p.onCacheChange({ type: 'message', view: view('b'), message: message('b', 1, 'user', 'not held') });
    expect(shown).toEqual([{ title: 'Rusty Sprocket', body: 'hello? anyone', conversationId: 'a' }]);
  });

  it('respects each switch in the settings', () => {
    const { p, shown } = policy({ prefs: { newConversation: false, heldConversationMessage: false } });
    p.onCacheChange({ type: 'started', view: view('a') });
    p.onCacheChange({ type: 'message', view: view('a', { heldByMe: true }), message: message('a', 1, 'user', 'x') });
    expect(shown).toEqual([]);
  });

  it('shows the total unread on the badge, updates it only when it changes, and clears it when switched off', () => {
    const { p, badges, state } = policy({ unread: 2 });
    p.onCacheChange({ type: 'upsert', views: [] });
    p.onCacheChange({ type: 'upsert', views: [] });
    state.unread = 3;
    p.onCacheChange({ type: 'upsert', views: [] });
    state.prefs.badge = false;
    p.updateBadge();
    expect(badges).toEqual([2, 3, 0]);
  });

  it('shortens long message bodies', () => {
    const { p, shown } = policy();
    p.onCacheChange({ type: 'message', view: view('a', { heldByMe: true }), message: message('a', 1, 'user', 'x'.repeat(500)) });
    expect(shown[0]!.body.length).toBe(160);
    expect(shown[0]!.body.endsWith('…')).toBe(true);
  });
});
