import { protocol } from 'electron';
import { contentSecurityPolicy } from '../main/content-security-policy.js';
import { readRendererFile } from '../main/renderer-files.js';
import { APP_HOST, APP_SCHEME } from './ipc-channels.js';

/**
 * Must run before the app is ready: app:// is a standard, secure scheme so the renderer gets a real origin,
 * relative URLs and fetch, like https, without file:// and its broad privileges.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer at app://studio/ with the strict CSP; nothing else answers on the scheme. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    // `new URL('app://x').origin` is 'null' for a custom scheme: compare the parts instead (DESIGN.md section 8).
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || request.method !== 'GET') {
      return new Response('Not found.', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    }
    const file = await readRendererFile(rendererDir, url.pathname);
    if (file.status !== 200) return new Response(file.message, { status: file.status, headers: { 'Content-Type': 'text/plain' } });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': contentSecurityPolicy(),
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
