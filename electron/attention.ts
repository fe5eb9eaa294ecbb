import { app, type BrowserWindow } from 'electron';

export interface AttentionRequests {
  /** A user is waiting: flash the taskbar button (Windows, Linux) or bounce the dock icon (macOS), unless Studio is in front. */
  request(win: BrowserWindow | undefined): void;
  /** The designer came to Studio: stop flashing/bouncing. */
  stop(win: BrowserWindow | undefined): void;
}

/**
 * Attention requests for a waiting user. A notification can go unseen (do not disturb, an unsigned macOS build
 * that may not notify at all); the taskbar or dock still shows that someone is waiting.
 */
export function attentionRequests(platform: NodeJS.Platform): AttentionRequests {
  let bounce: number | undefined;
  return {
    request(win) {
      if (win && !win.isDestroyed() && win.isFocused()) return;
      if (platform === 'darwin') {
        // One bounce at a time: 'informational' bounces once; a second would only queue another id.
        if (bounce === undefined && app.dock) bounce = app.dock.bounce('informational');
        return;
      }
      if (win && !win.isDestroyed()) win.flashFrame(true);
    },
    stop(win) {
      if (platform === 'darwin') {
        if (bounce !== undefined) app.dock?.cancelBounce(bounce);
        bounce = undefined;
        return;
      }
      if (win && !win.isDestroyed()) win.flashFrame(false);
    },
  };
}
