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
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    if (!TYPES[extname(name)] || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue;
    files.set(name, readFileSync(join(dir, name)));
  }
  if (!files.has('widget.js')) throw new Error(`${dir} has no widget.js: the chat channels cannot be served`);
  for (const [bundle, parts] of Object.entries(BUNDLES)) {
    const missing = parts.filter((part) => !files.has(part));
    if (missing.length) throw new Error(`${dir} lacks ${missing.join(', ')}, part of ${bundle}`);
    files.set(bundle, Buffer.concat(parts.flatMap((part) => [files.get(part)!, Buffer.from('\n')])));
  }
  const assets = new Map<string, StaticAsset>();
  for (const [name, body] of files) {
    assets.set(name, { body, contentType: TYPES[extname(name)]!, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return assets;
}

/**
 * Scripts served as one file made of several source files, in order: a host page adds one <script> for the widget,
 * while the source stays in small files (the rich media renderer apart from the chat itself). No build step.
 */
const BUNDLES: Record<string, string[]> = { 'widget.js': ['widget-rich-media.js', 'widget.js'] };
