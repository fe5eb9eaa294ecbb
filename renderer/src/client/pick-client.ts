import { systemClock } from '../../../protocol/clock.js';
import { bridgeClient, type StudioBridge } from './bridge-client.js';
import type { StudioClient } from './studio-client.js';
import { webSocketClient } from './websocket-client.js';

/**
 * Electron's preload exposes `window.studio`; without it this page was served by the browser-mode host, which
 * listens for the Studio API on `/studio-api` of the page's own host. The page's query string carries the host's
 * per-run secret and is passed along unchanged.
 */
export function pickStudioClient(win: Window & { studio?: StudioBridge }): StudioClient {
  if (win.studio) return bridgeClient(win.studio);
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${win.location.host}/studio-api${win.location.search}`;
  return webSocketClient({ url, createSocket: (u) => new WebSocket(u), clock: systemClock });
}
