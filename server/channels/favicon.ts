import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resourcePath } from '../resources/resource-root.js';
import type { StaticAsset } from './static-assets.js';

/**
 * `/favicon.ico`: the app icon's PNGs wrapped in an ICO container (an ICO entry may hold a PNG as is), so browsers
 * that ask for the favicon of the Landing Page or the front page get the robot instead of a 404.
 */
export function loadFavicon(sizes: number[] = [32, 64]): StaticAsset {
  const images = sizes.map((size) => ({ size, png: readFileSync(resourcePath(`icons/${size}x${size}.png`)) }));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // width (0 means 256)
    entry.writeUInt8(size >= 256 ? 0 : size, 1); // height
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  const body = Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
  return { body, contentType: 'image/x-icon', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}
