import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { openInBrowser, type WarningLog } from './open-in-browser.js';

export interface HelpMenuOptions {
  /** The packaged app's log file, shown (and revealed) from Help; none in development, where logs go to the terminal. */
  logFile?: string;
  log?: WarningLog;
}

/** The usual menus, built from Electron's roles so shortcuts and labels match each platform. */
export function appMenuTemplate(platform: NodeJS.Platform, isDev: boolean, help: HelpMenuOptions = {}): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    ...(isDev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const logFile = help.logFile;
  const logItems: MenuItemConstructorOptions[] = logFile
    ? [
        { type: 'separator' },
        { label: 'Show Log File', click: () => shell.showItemInFolder(logFile) },
        // The path itself, for a support request typed from another machine.
        { label: `Log file: ${logFile}`, enabled: false },
      ]
    : [];
  return [
    ...(mac ? ([{ role: 'appMenu' }] as MenuItemConstructorOptions[]) : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'AIML reference (Pandorabots)', click: () => openInBrowser('https://docs.pandorabots.com/aiml-reference/', help.log) }, ...logItems],
    },
  ];
}

export function installAppMenu(platform: NodeJS.Platform, isDev: boolean, help: HelpMenuOptions = {}): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, isDev, help)));
}
