#!/usr/bin/env node
// postinstall: gets the Electron binary (scripts/get-electron.ts). Never fails the install: without Electron,
// `npm start` serves Studio in the browser. Plain JavaScript, because tsx may be missing (npm ci --omit=dev).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Without the development dependencies there is neither Electron nor tsx: nothing to get.
if (!existsSync(join(root, 'node_modules', 'electron', 'package.json')) || !existsSync(join(root, 'node_modules', 'tsx'))) process.exit(0);
const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'get-electron.ts')], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) console.log(`Getting Electron failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}): npm start will serve Studio in the browser. To try again: npm run get-electron`);
process.exit(0);
