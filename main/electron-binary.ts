import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Where the Electron executable is, when it is there. The `electron` npm package downloads it lazily and records it
 * in `path.txt`, relative to `dist/`; both must exist.
 */
export function locateElectron(projectRoot: string): ElectronBinary {
  const pkg = join(projectRoot, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { found: false, reason: 'its binary has not been downloaded' };
  const executable = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) return { found: false, reason: `its binary is missing (${executable})` };
  return { found: true, path: executable };
}

/**
 * Finds Electron, trying its download once (with a time limit) when the binary is missing: offline machines and
 * locked-down networks cannot fetch it, and Studio then runs in browser mode instead of failing.
 */
export async function findOrFetchElectron(projectRoot: string, timeoutMs = 20_000): Promise<ElectronBinary> {
  const first = locateElectron(projectRoot);
  if (first.found || first.reason === 'the electron package is not installed') return first;
  const installer = join(projectRoot, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return first;
  const outcome = await new Promise<string | undefined>((resolve) => {
    const child = spawn(process.execPath, [installer], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => {
      child.kill();
      resolve(`downloading it took longer than ${+(timeoutMs / 1000).toFixed(1)} s`);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`its download could not start (${error.message})`);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = stderr.split('\n').find((l) => /error/i.test(l))?.trim();
      resolve(code === 0 ? undefined : `its binary could not be downloaded${line ? ` (${line})` : ''}`);
    });
  });
  const second = locateElectron(projectRoot);
  if (second.found) return second;
  return { found: false, reason: outcome ?? second.reason };
}
