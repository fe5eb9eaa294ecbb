#!/usr/bin/env node
// `npm start`: checks the Node version, the options and whether Studio already runs (so that `--help`, a typo or a
// second start answer at once, without a build), builds, then runs the launcher (out/main/launch.js) in this same
// process, so that Ctrl-C reaches it directly.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeTooOld } from './node-version.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const tooOld = nodeTooOld(process.versions.node);
if (tooOld) {
  console.error(tooOld);
  process.exit(1);
}

// The usage, a bad option and an already running Studio are answered from source, before any build.
const check = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start-check.ts'), ...args], { cwd: root, stdio: 'inherit' });
if (check.status === 2) process.exit(0);
if (check.status !== 0) process.exit(check.status ?? 1);

console.log('Building Studio (npm run build)…');
const started = Date.now();
const npm = process.env.npm_execpath?.endsWith('.js') ? { command: process.execPath, args: [process.env.npm_execpath] } : { command: 'npm', args: [] };
const build = spawn(npm.command, [...npm.args, 'run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: npm.command === 'npm' && process.platform === 'win32' });
let output = '';
build.stdout.on('data', (d) => (output += d));
build.stderr.on('data', (d) => (output += d));
const status = await new Promise((resolve) => build.on('close', (code) => resolve(code ?? 1)));
if (status !== 0) {
  process.stderr.write(output);
  console.error(`The build failed (above); Studio was not started.`);
  process.exit(status);
}
console.log(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
await import(pathToFileURL(join(root, 'out', 'main', 'launch.js')).href);
