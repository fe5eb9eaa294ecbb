// The preload of Studio's window: runs sandboxed, so it is CommonJS and can require only `electron`
// (DESIGN.md section 8). It exposes exactly two functions to the page and nothing of ipcRenderer itself.
import electron = require('electron');

// Spelled out here because a sandboxed preload cannot import electron/ipc-channels.ts (a test checks they agree).
const INVOKE_CHANNEL = 'studio:invoke';
const EVENT_CHANNEL = 'studio:event';

electron.contextBridge.exposeInMainWorld('studio', {
  /** Calls a Studio API method; resolves with `{ ok, result }` or `{ ok: false, error }` (see StudioBridge). */
  invoke(method: unknown, args?: unknown): Promise<unknown> {
    if (typeof method !== 'string') return Promise.reject(new TypeError('method must be a string'));
    return electron.ipcRenderer.invoke(INVOKE_CHANNEL, method, args);
  },
  /** Subscribes to Studio's pushed events; returns the function that unsubscribes. */
  onEvent(listener: unknown): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // The IPC event object (with `sender`) stays here: the page gets only the payload.
    const forward = (_event: electron.IpcRendererEvent, payload: unknown) => (listener as (p: unknown) => void)(payload);
    electron.ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      electron.ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
});
