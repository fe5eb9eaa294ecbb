import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

// Flags that keep Debian's Chromium quiet and working on a closed network as root in a container.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Which Chromium the end-to-end tests drive: CHROMIUM_PATH when set, else Debian's /usr/bin/chromium,
 * else a browser Playwright installed itself. Throws a message that says what to install when none exists.
 */
export function resolveChromium(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): string {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!exists(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there.`);
    return fromEnv;
  }
  if (exists('/usr/bin/chromium')) return '/usr/bin/chromium';
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && exists(bundled)) return bundled;
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one: on Debian/Ubuntu `sudo apt-get install -y chromium`, ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

export function chromiumLaunchOptions(): LaunchOptions {
  return { executablePath: resolveChromium(), args: CHROMIUM_ARGS };
}
