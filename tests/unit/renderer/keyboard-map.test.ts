import { describe, expect, it } from 'vitest';
import { neighbour, SHORTCUTS, shortcutFor, type KeyPress } from '../../../renderer/src/app/keyboard-map.js';

const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('maps the single keys outside text fields', () => {
    expect(shortcutFor(key('j'), false)).toBe('nextConversation');
    expect(shortcutFor(key('k'), false)).toBe('previousConversation');
    expect(shortcutFor(key('r'), false)).toBe('focusReply');
    expect(shortcutFor(key('b'), false)).toBe('toggleBot');
    expect(shortcutFor(key('/'), false)).toBe('focusSearch');
    expect(shortcutFor(key('?', { shiftKey: true }), false)).toBe('showShortcuts');
  });

  it('lets letters be letters while typing a reply', () => {
    for (const k of ['j', 'k', 'r', 'b', '/', '?']) expect(shortcutFor(key(k), true)).toBeUndefined();
  });

  it('moves between conversations with Alt+arrows even from the reply box', () => {
    expect(shortcutFor(key('ArrowDown', { altKey: true }), true)).toBe('nextConversation');
    expect(shortcutFor(key('ArrowUp', { altKey: true }), true)).toBe('previousConversation');
    expect(shortcutFor(key('ArrowDown'), false)).toBeUndefined();
  });

  it('focuses search with Ctrl+K or Cmd+K anywhere', () => {
    expect(shortcutFor(key('k', { ctrlKey: true }), true)).toBe('focusSearch');
    expect(shortcutFor(key('k', { metaKey: true }), false)).toBe('focusSearch');
  });

  it('leaves the browser its own Ctrl shortcuts', () => {
    expect(shortcutFor(key('r', { ctrlKey: true }), false)).toBeUndefined();
    expect(shortcutFor(key('b', { metaKey: true }), false)).toBeUndefined();
  });

  it('lists every action on the shortcut sheet', () => {
    const actions = new Set(SHORTCUTS.map((s) => s.action));
    expect(actions).toEqual(new Set(['nextConversation', 'previousConversation', 'focusReply', 'toggleBot', 'focusSearch', 'showShortcuts']));
  });

  it('steps through the visible conversations and stops at the ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(neighbour(ids, undefined, 1)).toBe('a');
    expect(neighbour(ids, 'a', 1)).toBe('b');
    expect(neighbour(ids, 'c', 1)).toBe('c');
    expect(neighbour(ids, 'a', -1)).toBe('a');
    expect(neighbour(ids, 'gone', -1)).toBe('a');
    expect(neighbour([], 'a', 1)).toBeUndefined();
  });
});
