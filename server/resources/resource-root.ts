import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'live-training-studio';

/**
 * The repository root, found by walking up from this file to our package.json. The same code runs from source
 * (`tsx server/...`) and compiled (`out/server/...`), at different depths, so a fixed `../..` would break one of them.
 */
export function findProjectRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json further down (a test fixture, say) is not ours: keep walking.
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${start}: the Platform's resources/ folder is missing`);
  }
}

let cachedRoot: string | undefined;

/** Absolute path of a file under resources/. */
export function resourcePath(...parts: string[]): string {
  cachedRoot ??= findProjectRoot();
  return join(cachedRoot, 'resources', ...parts);
}
