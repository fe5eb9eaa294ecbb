import { dialog, type BrowserWindow, type RenderProcessGoneDetails } from 'electron';
import { APP_ENTRY_URL } from './ipc-channels.js';
import type { WarningLog } from './open-in-browser.js';

export interface WindowRecoveryOptions {
  log: WarningLog;
  /** The designer chose to quit rather than reload. */
  quit: () => void;
}

export const RELOAD = 'Reload';
export const QUIT = 'Quit Studio';

/**
 * Loads Studio's page into the window and keeps it there: when the page fails to load or its renderer process
 * crashes, the window shows why and offers "Reload" instead of staying blank. Returns the load function.
 */
export function keepStudioLoaded(win: BrowserWindow, o: WindowRecoveryOptions): () => void {
  let asking = false;
  const offerReload = (message: string, detail: string) => {
    if (asking || win.isDestroyed()) return;
    asking = true;
    dialog
      .showMessageBox(win, { type: 'error', title: 'Live Training Studio', message, detail, buttons: [RELOAD, QUIT], defaultId: 0, cancelId: 0, noLink: true })
      .then(({ response }) => {
        asking = false;
        if (win.isDestroyed()) return;
        if (response === 1) o.quit();
        else load();
      })
      .catch((error: unknown) => {
        asking = false;
        o.log.warn({ err: error }, 'The reload dialog could not be shown.');
      });
  };
  const load = () => {
    win.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
      o.log.warn({ err: error }, "Studio's page did not load.");
      offerReload("Studio's window could not load its page.", (error as Error).message ?? String(error));
    });
  };
  win.webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    if (details.reason === 'clean-exit') return;
    o.log.warn({ reason: details.reason, exitCode: details.exitCode }, "Studio's page stopped.");
    offerReload("Studio's page stopped working.", `The page's process ended (${details.reason}). Your conversations and settings are kept: reload to carry on.`);
  });
  load();
  return load;
}
