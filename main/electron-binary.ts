import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Where the Electron executable is, when it is there. Getting it is a step of installing (scripts/get-electron.ts,
 * run after `npm ci`), never of starting: `npm start` only looks, so a machine that cannot download it goes to
 * browser mode at once. Electron's installer records the executable in `path.txt`, relative to `dist/`; both must
 * exist.
 */
export function locateElectron(projectRoot: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkg = join(projectRoot, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  // ELECTRON_OVERRIDE_DIST_PATH: a locally built or unpacked Electron, as Electron's own package honours it.
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && !existsSync(pathFile)) return { found: false, reason: 'its binary has not been downloaded; `npm run get-electron` tries again' };
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const executable = join(override || join(pkg, 'dist'), name);
  if (!existsSync(executable)) return { found: false, reason: `its binary is missing (${executable})` };
  return { found: true, path: executable };
}
