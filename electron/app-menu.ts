import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

/** The usual menus, built from Electron's roles so shortcuts and labels match each platform. */
export function appMenuTemplate(platform: NodeJS.Platform, isDev: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    ...(isDev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac ? ([{ role: 'appMenu' }] as MenuItemConstructorOptions[]) : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'AIML reference (Pandorabots)', click: () => void shell.openExternal('https://docs.pandorabots.com/aiml-reference/') }],
    },
  ];
}

export function installAppMenu(platform: NodeJS.Platform, isDev: boolean): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, isDev)));
}
