import { useEffect, useRef } from 'react';
import { SHORTCUTS } from './keyboard-map.js';

/** The `?` sheet: a modal dialog listing every shortcut (Escape or the button closes it, focus returns). */
export function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog ref={ref} className="shortcut-sheet" aria-labelledby="shortcut-title" onClose={onClose} onCancel={onClose}>
      <h2 id="shortcut-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' or '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.description}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>↑</kbd> <kbd>↓</kbd> <kbd>PgUp</kbd> <kbd>PgDn</kbd> <kbd>Home</kbd> <kbd>End</kbd>
            </td>
            <td>Move in a list: conversations, learned categories (when it has focus)</td>
          </tr>
          <tr>
            <td>
              <kbd>Enter</kbd>
            </td>
            <td>In the conversation list: write in the selected conversation. In the reply box: send. In the learned categories: edit the selected one</td>
          </tr>
          <tr>
            <td>
              <kbd>Shift+Enter</kbd>
            </td>
            <td>New line in the reply box</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>From the reply box back to the conversation list (your draft stays)</td>
          </tr>
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="primary" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
