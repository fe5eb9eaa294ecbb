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
  const platform: RunningPlatform = await startPlatform({ logger: false, ...o, dataDir: data.dir });
  const ada = platform.createDesigner('Ada');
  const bob = platform.createDesigner('Bob');
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
