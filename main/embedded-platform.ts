import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../protocol/clock.js';
import { startPlatform, type RunningPlatform } from '../server/platform.js';
import { writeFileAtomic } from '../node-lib/atomic-write.js';
import type { EmbeddedPlatformPort } from './studio.js';

export interface EmbeddedPlatformOptions {
  /** The Platform's data folder (its database and bots): `<app data>/platform`. */
  dataDir: string;
  /** The name the local designer is created with. */
  designerName: () => string;
  logger?: Logger | false;
  clock?: Clock;
}

export interface EmbeddedPlatform extends EmbeddedPlatformPort {
  /** The running Platform, once started. */
  readonly running: RunningPlatform | undefined;
  /** The port it had last time, when that port was taken this time and it moved (the launcher says so). */
  readonly movedFrom: number | undefined;
}

/** What Studio remembers about its local Platform, next to the Platform's own data. */
const LocalDesigner = z.object({ id: z.string(), name: z.string(), token: z.string().min(1), port: z.number().int().min(0).max(65_535).optional() });
type LocalDesigner = z.infer<typeof LocalDesigner>;

/**
 * Studio's own Platform, in-process (the only main/ module that imports server/). Its data lives in the app-data
 * folder; Studio keeps the local designer's token in `studio-designer.json` there (owner-only), so a reset of that
 * folder also forgets the token. It listens on 127.0.0.1, on the same port as last time when that port is free
 * (the Landing Page URL a tester bookmarked keeps working), else on any free port.
 */
export function embeddedPlatform(o: EmbeddedPlatformOptions): EmbeddedPlatform {
  const file = join(o.dataDir, 'studio-designer.json');
  let running: RunningPlatform | undefined;
  let starting: Promise<RunningPlatform> | undefined;
  let movedFrom: number | undefined;

  async function readLocal(): Promise<LocalDesigner | undefined> {
    try {
      const parsed = LocalDesigner.safeParse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async function launch(): Promise<RunningPlatform> {
    mkdirSync(o.dataDir, { recursive: true });
    const remembered = (await readLocal())?.port;
    const options = { dataDir: o.dataDir, host: '127.0.0.1', logger: o.logger ?? false, clock: o.clock };
    if (remembered) {
      try {
        return await startPlatform({ ...options, port: remembered });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
        movedFrom = remembered;
      }
    }
    return startPlatform({ ...options, port: 0 });
  }

  async function ensureRunning(): Promise<RunningPlatform> {
    if (running) return running;
    starting ??= launch().then(
      (p) => (running = p),
      (error: unknown) => {
        starting = undefined;
        throw error;
      },
    );
    return starting;
  }

  async function newDesigner(platform: RunningPlatform): Promise<LocalDesigner> {
    const d = await platform.createDesigner(o.designerName());
    const local: LocalDesigner = { id: d.id, name: d.name, token: d.token, port: platform.port };
    await writeFileAtomic(file, JSON.stringify(local, null, 2) + '\n', { mode: 0o600 });
    return local;
  }

  return {
    get running() {
      return running;
    },
    get movedFrom() {
      return movedFrom;
    },
    async start() {
      const platform = await ensureRunning();
      let local = await readLocal();
      if (!local) local = await newDesigner(platform);
      else if (local.port !== platform.port) await writeFileAtomic(file, JSON.stringify({ ...local, port: platform.port }, null, 2) + '\n', { mode: 0o600 });
      return { url: platform.url, token: local.token };
    },
    async renewToken() {
      const platform = await ensureRunning();
      return { url: platform.url, token: (await newDesigner(platform)).token };
    },
    async close() {
      const p = running ?? (starting ? await starting.catch(() => undefined) : undefined);
      running = undefined;
      starting = undefined;
      await p?.close();
    },
  };
}
