import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ApiCredentials } from './pandorabots-client.js';

const Stored = z.object({ appId: z.string().min(1), userKey: z.string().min(1) });

/**
 * The Pandorabots API credentials of a Platform whose data folder is on this machine (Studio's embedded Platform):
 * it keeps them in `<data>/api-credentials.json` and generated them on its first start. Undefined when absent or
 * unreadable (the designer is then asked for them).
 */
export async function readLocalPlatformCredentials(platformDataDir: string): Promise<ApiCredentials | undefined> {
  try {
    const parsed = Stored.safeParse(JSON.parse(await readFile(join(platformDataDir, 'api-credentials.json'), 'utf8')));
    return parsed.success ? { appId: parsed.data.appId, userKey: parsed.data.userKey } : undefined;
  } catch {
    return undefined;
  }
}
