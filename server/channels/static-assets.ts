import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { resourcePath } from '../resources/resource-root.js';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The browser assets of the end-user channels (resources/channels: the widget script, its icon), read once at start.
 * Names are looked up in this fixed table, never joined onto a path from the request, so no URL can reach other files.
 */
export function loadChannelAssets(dir = resourcePath('channels')): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue;
    const body = readFileSync(join(dir, name));
    assets.set(name, { body, contentType: type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  if (!assets.has('widget.js')) throw new Error(`${dir} has no widget.js: the chat channels cannot be served`);
  return assets;
}
