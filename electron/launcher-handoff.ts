import type { EmbeddedPlatformPort } from '../main/studio.js';

/**
 * `npm start` runs the local Platform in its own Node process and hands it to Electron through the environment:
 * Electron's bundled Node has another ABI than the one better-sqlite3 was built for in development, so the
 * database stays in the launcher. A packaged app (whose native modules are rebuilt for Electron) has no handoff
 * and runs the Platform in-process instead.
 */
export const HANDOFF_URL = 'STUDIO_LAUNCHER_PLATFORM_URL';
export const HANDOFF_TOKEN = 'STUDIO_LAUNCHER_PLATFORM_TOKEN';

export function platformFromLauncher(env: NodeJS.ProcessEnv): EmbeddedPlatformPort | undefined {
  const url = env[HANDOFF_URL];
  const token = env[HANDOFF_TOKEN];
  if (!url || !token) return undefined;
  return {
    start: async () => ({ url, token }),
    renewToken: async () => {
      throw new Error('The launcher owns this Platform: restart `npm start` to get a new local designer token.');
    },
    // The launcher stops its Platform when Electron exits.
    close: async () => undefined,
  };
}
