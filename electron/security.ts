import type { Session, WebContents } from 'electron';
import { APP_HOST, APP_SCHEME } from './ipc-channels.js';
import { openInBrowser, type WarningLog } from './open-in-browser.js';

/** Only links to https pages may leave Studio, and only to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Whether a URL is a page of Studio's own renderer (app://studio/...). */
export function isStudioUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    // Compare protocol and host: the origin of a custom scheme is 'null' in Node (DESIGN.md section 8).
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The session may show notifications; every other permission (camera, geolocation, clipboard...) is denied. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'notifications'));
  session.setPermissionCheckHandler((_contents, permission) => permission === 'notifications');
}

/**
 * Every web contents (windows, and any a bug might create) stays on Studio: navigation is refused, new windows
 * are refused, https links open in the system browser, webviews cannot be attached.
 */
export function hardenWebContents(contents: WebContents, log?: WarningLog): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (isSafeExternalUrl(url)) openInBrowser(url, log);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openInBrowser(url, log);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
