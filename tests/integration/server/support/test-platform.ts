import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../../protocol/clock.js';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../../../server/platform.js';

export function tempDataDir(label = 'platform'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `lts-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real Platform on a free port and a fresh data dir, quiet, with two designers. */
export async function startTestPlatform(o: Partial<PlatformOptions> & { clock?: Clock } = {}) {
  const data = o.dataDir ? { dir: o.dataDir, remove: () => {} } : tempDataDir();
  // Every test client comes from 127.0.0.1, where real users each have an address of their own: the per-address
  // socket-opening limit would trip tests about other things. It has its own test (chat-flood.test.ts).
  const chatLimits = { addressOpensBurst: 100_000, addressOpensPerSecond: 100_000, ...o.chatLimits };
  const platform: RunningPlatform = await startPlatform({ logger: false, ...o, chatLimits, dataDir: data.dir });
  const ada = await platform.createDesigner('Ada');
  const bob = await platform.createDesigner('Bob');
  return {
    platform,
    url: platform.url,
    dataDir: data.dir,
    ada,
    bob,
    async close(): Promise<void> {
      await platform.close();
      data.remove();
    },
  };
}
