import { BrowserWindow, screen } from 'electron';
import type { Settings } from '../main/settings/settings.js';
import { installContextMenu } from './context-menu.js';
import type { WarningLog } from './open-in-browser.js';
import { keepStudioLoaded } from './window-recovery.js';
import { restoreBounds, stateToSave } from './window-state.js';

export interface MainWindowOptions {
  settings: Settings;
  preloadPath: string;
  iconPath?: string;
  onFocusChange: (focused: boolean) => void;
  log: WarningLog;
  /** The designer chose "Quit Studio" after the page failed. */
  quit: () => void;
}

/**
 * Studio's window with the security baseline of DESIGN.md section 9: isolated context, sandboxed renderer, no
 * Node in the page, only the preload bridge. Its size and place are remembered across runs; it has a right-click
 * menu, and a failed load or a crashed page offers "Reload".
 */
export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const saved = o.settings.get().window;
  const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Live Training Studio',
    icon: o.iconPath,
    backgroundColor: '#1d2330',
    webPreferences: {
      preload: o.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('focus', () => o.onFocusChange(true));
  win.on('blur', () => o.onFocusChange(false));
  // Remember the window when it closes (not on every move: the settings file is written atomically each time).
  win.on('close', () => {
    try {
      o.settings.update({ window: stateToSave(win.getNormalBounds(), win.isMaximized()) });
    } catch {
      // A size the schema refuses (a tiny window) is not worth failing the close for.
    }
  });
  installContextMenu(win.webContents);
  keepStudioLoaded(win, { log: o.log, quit: o.quit });
  return win;
}
