import { dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { writeFileAtomic } from '../node-lib/atomic-write.js';
import type { SaveFilePort } from '../main/save-file.js';

/** Exports through the native save dialog, attached to Studio's window, starting in `defaultDir`. */
export function saveDialogPort(window: () => BrowserWindow | undefined, defaultDir: () => string): SaveFilePort {
  return {
    async save({ suggestedName, text, filters }) {
      const options = { defaultPath: join(defaultDir(), suggestedName), filters, properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
      const w = window();
      const result = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return { saved: false };
      await writeFileAtomic(result.filePath, text);
      return { saved: true, path: result.filePath };
    },
  };
}
