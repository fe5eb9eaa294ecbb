import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { StudioReply } from '../protocol/studio-api.js';
import type { StudioDispatcher } from '../main/studio-api/dispatcher.js';
import { INVOKE_CHANNEL } from './ipc-channels.js';
import { isStudioUrl } from './security.js';

let registered = false;

/**
 * Connects the preload bridge to the one Studio API dispatcher. Registered once per app (a second
 * `ipcMain.handle` on the same channel throws), for every window. A call is answered only when it comes from
 * the top frame of one of Studio's own windows showing app://studio/: anything else (a subframe, a page that
 * got navigated elsewhere) gets a refusal, and no service sees it.
 */
export function registerStudioIpc(dispatcher: StudioDispatcher, isStudioWindow: (contents: WebContents) => boolean): void {
  if (registered) return;
  registered = true;
  ipcMain.handle(INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<StudioReply> => {
    if (!isTrustedSender(event, isStudioWindow)) {
      return { ok: false, error: { code: 'forbidden', message: 'This page may not use the Studio API.' } };
    }
    return dispatcher.invoke(method, args);
  });
}

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, isStudioWindow: (contents: WebContents) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isStudioUrl(frame.url) && isStudioWindow(event.sender);
}
