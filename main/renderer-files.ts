import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_TYPES } from './content-security-policy.js';

export type RendererFile = { status: 200; body: Buffer; contentType: string; path: string } | { status: 404 | 503; message: string };

/**
 * Looks up a file of the built renderer for a URL path, for both hosts (Electron's app:// handler and the
 * browser-mode HTTP server). Paths that would leave the renderer folder (`..`, encoded slashes, NUL) are 404,
 * as are files of types the renderer does not ship.
 */
export async function readRendererFile(rendererDir: string, urlPath: string): Promise<RendererFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 404, message: 'Not found.' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 404, message: 'Not found.' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const full = resolve(root, relative);
  if (!full.startsWith(root + sep)) return { status: 404, message: 'Not found.' };
  const contentType = CONTENT_TYPES[extname(full).toLowerCase()];
  if (!contentType) return { status: 404, message: 'Not found.' };
  try {
    const info = await stat(full);
    if (!info.isFile()) return { status: 404, message: 'Not found.' };
    return { status: 200, body: await readFile(full), contentType, path: full };
  } catch {
    if (relative === 'index.html') {
      return { status: 503, message: `Studio's renderer is not built (no ${full}). Run \`npm run build\` first.` };
    }
    return { status: 404, message: 'Not found.' };
  }
}
