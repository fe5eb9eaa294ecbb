import { shell } from 'electron';

/** Where failures of fire-and-forget Electron calls go (pino's logger fits). */
export interface WarningLog {
  warn(details: object, message: string): void;
}

/**
 * Opens an https link in the system browser. The failure (no browser configured, xdg-open missing) is logged: a
 * rejected promise left alone would surface as Electron's modal "A JavaScript error occurred in the main process".
 */
export function openInBrowser(url: string, log?: WarningLog): void {
  shell.openExternal(url).catch((error: unknown) => log?.warn({ err: error, url }, 'The link could not be opened in the system browser.'));
}
