import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../node-lib/atomic-write.js';

/**
 * Browser mode's address, kept across restarts so that Studio's URL (port and key) stays the same: a bookmarked or
 * still-open Studio tab keeps working, and nobody copies a new key from the terminal. The key is a secret like the
 * local designer token, so it lives beside it in the data folder, owner-only.
 */
const BrowserAddress = z.object({ port: z.number().int().min(1).max(65_535), key: z.string().min(16).regex(/^[\w-]+$/) });
export type BrowserAddress = z.infer<typeof BrowserAddress>;

export const BROWSER_ADDRESS_FILE = 'browser-mode.json';

export function readBrowserAddress(dataDir: string): BrowserAddress | undefined {
  try {
    const parsed = BrowserAddress.safeParse(JSON.parse(readFileSync(join(dataDir, BROWSER_ADDRESS_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function saveBrowserAddress(dataDir: string, address: BrowserAddress): Promise<void> {
  await writeFileAtomic(join(dataDir, BROWSER_ADDRESS_FILE), JSON.stringify(address, null, 2) + '\n', { mode: 0o600 });
}

export function newBrowserKey(): string {
  return randomBytes(24).toString('base64url');
}

function isPortTaken(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}

/**
 * Listens on the port asked for (`--port`), else on last time's, else on any free one; a remembered port that is
 * taken now gives way to a free one, and `movedFrom` says so. A port asked for explicitly must be free.
 */
export async function listenOnStablePort<T extends { port: number }>(
  asked: number | undefined,
  remembered: number | undefined,
  listen: (port: number) => Promise<T>,
): Promise<{ server: T; movedFrom?: number }> {
  if (asked !== undefined) {
    try {
      return { server: await listen(asked) };
    } catch (error) {
      if (isPortTaken(error)) throw new Error(`Port ${asked} (--port) is taken or not allowed: choose another, or leave --port out.`);
      throw error;
    }
  }
  if (remembered) {
    try {
      return { server: await listen(remembered) };
    } catch (error) {
      if (!isPortTaken(error)) throw error;
      return { server: await listen(0), movedFrom: remembered };
    }
  }
  return { server: await listen(0) };
}
