// `npm run dist`: builds, packages Studio with electron-builder, and puts better-sqlite3 back for development. Written
// in Node rather than in the npm script so it runs the same from cmd.exe, PowerShell, zsh and bash.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Runs a Node script with arguments (inheriting stdio) and returns its exit status. */
export type RunNode = (script: string, args: string[]) => number;

export interface DistScripts {
  /** npm's own CLI script (npm sets npm_execpath for the scripts it runs). */
  npm: string;
  electronBuilder: string;
}

/**
 * The steps in order. electron-builder rebuilds better-sqlite3 for Electron's ABI in node_modules (npmRebuild), which
 * breaks `npm start` and the tests on the development Node: the rebuild back runs whether packaging worked or not,
 * and the exit status is the first failure's (a failed build packages nothing).
 */
export function runDist(run: RunNode, scripts: DistScripts, builderArgs: string[]): number {
  const built = run(scripts.npm, ['run', 'build']);
  if (built !== 0) return built;
  const packaged = run(scripts.electronBuilder, builderArgs);
  const restored = run(scripts.npm, ['rebuild', 'better-sqlite3']);
  if (packaged !== 0) return packaged;
  if (restored !== 0) process.stderr.write('Packaging worked, but `npm rebuild better-sqlite3` failed: run it before `npm start` or the tests.\n');
  return restored;
}

function locateScripts(): DistScripts {
  const npm = process.env.npm_execpath;
  if (!npm) throw new Error('Run this through npm: `npm run dist` (npm tells it where its own CLI is).');
  const require = createRequire(import.meta.url);
  return { npm, electronBuilder: require.resolve('electron-builder/cli.js') };
}

const runNode: RunNode = (script, args) => {
  // The Node that runs this script runs the others: no shell, no .cmd shims, so quoting is the same everywhere.
  const result = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`Could not run ${script}: ${result.error.message}\n`);
    return 1;
  }
  return result.status ?? 1;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runDist(runNode, locateScripts(), process.argv.slice(2));
}
