import { app } from 'electron';

import { STUDIO_APP_ID } from './app-id.js';

/**
 * Windows ties toasts, taskbar pinning and jump lists to the AppUserModelID; the NSIS installer gives the Start menu
 * shortcut electron-builder's appId, so the running app must claim the same one or its notifications do not show
 * (or show under "electron.app.Electron") and a pinned icon opens a second taskbar button.
 */
export function applyAppIdentity(platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(STUDIO_APP_ID);
}
