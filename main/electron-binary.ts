import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Where the Electron executable is, when it is there. Getting it is a step of installing (scripts/get-electron.ts,
 * run after `npm ci`), never of starting: `npm start` only looks, so a machine that cannot download it goes to
 * browser mode at once. Electron's installer records the executable in `path.txt`, relative to `dist/`; both must
 * exist.
 */
export function locateElectron(projectRoot: string): ElectronBinary {
  const pkg = join(projectRoot, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { found: false, reason: 'its binary has not been downloaded; `npm run get-electron` tries again' };
  const executable = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) return { found: false, reason: `its binary is missing (${executable})` };
  return { found: true, path: executable };
}
