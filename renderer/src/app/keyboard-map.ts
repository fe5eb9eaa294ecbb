export type ShortcutAction = 'nextConversation' | 'previousConversation' | 'focusReply' | 'toggleBot' | 'focusSearch' | 'showShortcuts';

/** The shortcut sheet (`?`) is generated from this list, so the sheet and the behaviour cannot drift apart. */
export const SHORTCUTS: readonly { action: ShortcutAction; keys: readonly string[]; description: string }[] = [
  { action: 'nextConversation', keys: ['J', 'Alt+↓'], description: 'Next conversation' },
  { action: 'previousConversation', keys: ['K', 'Alt+↑'], description: 'Previous conversation' },
  { action: 'focusReply', keys: ['R'], description: 'Write a reply' },
  { action: 'toggleBot', keys: ['B'], description: 'Switch the bot on or off in this conversation' },
  { action: 'focusSearch', keys: ['/', 'Ctrl+K'], description: 'Search conversations' },
  { action: 'showShortcuts', keys: ['?'], description: 'Show these shortcuts' },
];

export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/**
 * Which action a key press means. Single-letter shortcuts act only outside text fields (they are letters
 * there); the modified ones (Alt+arrows, Ctrl/Cmd+K) work everywhere, so a designer can move on without leaving
 * the reply box.
 */
export function shortcutFor(press: KeyPress, inTextField: boolean): ShortcutAction | undefined {
  const { key, altKey, ctrlKey, metaKey } = press;
  if (altKey && !ctrlKey && !metaKey) {
    if (key === 'ArrowDown') return 'nextConversation';
    if (key === 'ArrowUp') return 'previousConversation';
    return undefined;
  }
  if ((ctrlKey || metaKey) && !altKey && key.toLowerCase() === 'k') return 'focusSearch';
  if (inTextField || altKey || ctrlKey || metaKey) return undefined;
  switch (key) {
    case 'j':
    case 'J':
      return 'nextConversation';
    case 'k':
    case 'K':
      return 'previousConversation';
    case 'r':
    case 'R':
      return 'focusReply';
    case 'b':
    case 'B':
      return 'toggleBot';
    case '/':
      return 'focusSearch';
    case '?':
      return 'showShortcuts';
    default:
      return undefined;
  }
}

/** Whether keys typed at this element are text (so letters must not trigger shortcuts). */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = ((element as HTMLInputElement).type || 'text').toLowerCase();
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
  }
  return element.isContentEditable === true;
}

/** The id after or before `current` in `ids`, staying at the ends; the first one when nothing is selected. */
export function neighbour(ids: readonly string[], current: string | undefined, step: 1 | -1): string | undefined {
  if (ids.length === 0) return undefined;
  const at = current === undefined ? -1 : ids.indexOf(current);
  if (at === -1) return ids[0];
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))];
}
