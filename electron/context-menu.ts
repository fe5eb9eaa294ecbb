import { clipboard, Menu, type ContextMenuParams, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { isSafeExternalUrl } from './security.js';

/** What the right-click menu needs to know of the click (a subset of Electron's ContextMenuParams). */
export type ContextClick = Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'misspelledWord' | 'dictionarySuggestions' | 'linkURL' | 'editFlags'>;

export interface ContextActions {
  replaceMisspelling(word: string): void;
  addToDictionary(word: string): void;
  copyText(text: string): void;
}

const MAX_SUGGESTIONS = 5;

/**
 * The right-click menu Electron does not provide by itself: spelling suggestions for a misspelt word, then
 * cut/copy/paste in a text field, copy for selected text, and copying an https link's address. Empty when there is
 * nothing to offer (no menu then).
 */
export function contextMenuTemplate(click: ContextClick, actions: ContextActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  const word = click.misspelledWord;
  if (click.isEditable && word) {
    const suggestions = click.dictionarySuggestions.slice(0, MAX_SUGGESTIONS);
    if (suggestions.length === 0) items.push({ label: 'No spelling suggestions', enabled: false });
    for (const suggestion of suggestions) items.push({ label: suggestion, click: () => actions.replaceMisspelling(suggestion) });
    items.push({ label: 'Add to Dictionary', click: () => actions.addToDictionary(word) }, { type: 'separator' });
  }
  if (click.isEditable) {
    const f = click.editFlags;
    items.push(
      { role: 'undo', enabled: f.canUndo },
      { role: 'redo', enabled: f.canRedo },
      { type: 'separator' },
      { role: 'cut', enabled: f.canCut },
      { role: 'copy', enabled: f.canCopy },
      { role: 'paste', enabled: f.canPaste },
      { type: 'separator' },
      { role: 'selectAll', enabled: f.canSelectAll },
    );
  } else if (click.selectionText.trim()) {
    items.push({ role: 'copy' });
  }
  if (click.linkURL && isSafeExternalUrl(click.linkURL)) {
    if (items.length) items.push({ type: 'separator' });
    const link = click.linkURL;
    items.push({ label: 'Copy Link Address', click: () => actions.copyText(link) });
  }
  return items;
}

/** Shows that menu on right-click in Studio's window. */
export function installContextMenu(contents: WebContents): void {
  contents.on('context-menu', (_event, params) => {
    const template = contextMenuTemplate(params, {
      replaceMisspelling: (word) => contents.replaceMisspelling(word),
      addToDictionary: (word) => contents.session.addWordToSpellCheckerDictionary(word),
      // A copy that fails leaves the clipboard as it was: worth a line in the log, not a dialog.
      copyText: (text) => void clipboard.writeText(text).catch((error: unknown) => console.error('Studio could not copy to the clipboard:', error)),
    });
    if (template.length) Menu.buildFromTemplate(template).popup();
  });
}
