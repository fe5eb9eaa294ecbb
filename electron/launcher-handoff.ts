import type { EmbeddedPlatformPort } from '../main/studio.js';

/**
 * `npm start` runs the local Platform in its own Node process and hands it to Electron through the environment:
 * Electron's bundled Node has another ABI than the one better-sqlite3 was built for in development, so the
 * database stays in the launcher. A packaged app (whose native modules are rebuilt for Electron) has no handoff
 * and runs the Platform in-process instead.
 */
export const HANDOFF_URL = 'STUDIO_LAUNCHER_PLATFORM_URL';
export const HANDOFF_TOKEN = 'STUDIO_LAUNCHER_PLATFORM_TOKEN';

/** Whether the environment carries a launcher hand-off (the packaged app logs that it ignores one). */
export function hasLauncherHandoff(env: NodeJS.ProcessEnv): boolean {
  return !!env[HANDOFF_URL] || !!env[HANDOFF_TOKEN];
}

/**
 * The Platform `npm start` handed over, in development only. A packaged app refuses it: anything that can set its
 * environment (a shortcut, a wrapper script, another program starting it) could otherwise point Studio, and the
 * designer's replies, at a server of its choosing as if it were the local one.
 */
export function platformFromLauncher(env: NodeJS.ProcessEnv, packaged: boolean): EmbeddedPlatformPort | undefined {
  if (packaged) return undefined;
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
