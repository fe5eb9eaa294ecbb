import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository (or installed app) root: the nearest folder above `from` with a package.json. The same code runs
 * from source (`main/`) and compiled (`out/main/`), so fixed `..` counts would be wrong in one of them.
 */
export function findProjectRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}.`);
    dir = parent;
  }
}
