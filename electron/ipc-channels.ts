/**
 * The two IPC channels of the Studio API. preload/index.cts spells them out again because a sandboxed preload
 * cannot import our modules; tests/unit/electron/ipc.test.ts checks that both agree.
 */
export const INVOKE_CHANNEL = 'studio:invoke';
export const EVENT_CHANNEL = 'studio:event';

/** Where Studio's renderer lives: app://studio/ (DESIGN.md section 9: no file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
