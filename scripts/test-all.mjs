#!/usr/bin/env node
// `npm test`: every check the project has, in order, all of them run even when one fails. Prints a table of what
// ran, suite by suite (passed, failed, skipped, and why each skip or failure), then one plain last line
// `N passed, M failed` (`, K skipped` when something was skipped). The counting rules are in test-report.mjs; in CI
// (`CI` set) a skip for missing data or tools counts as a failure, except the Electron binary, which cannot exist
// on a machine without network.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSuite, conformanceSuite, notRunSuite, playwrightSuites, render, vitestSuites } from './test-report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'out', 'test-results');
const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
const rows = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  console.log(`=== ${title}: exit ${r.status ?? r.signal} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function main() {
  rows.push(checkSuite('typecheck', run('typecheck', 'npx', ['tsc', '-b']).status === 0));
  rows.push(checkSuite('lint', run('lint', 'npx', ['eslint', '.', '--max-warnings', '0']).status === 0));

  // Unit and integration tests (the vitest projects).
  const vitestJson = join(results, 'vitest.json');
  rmSync(vitestJson, { force: true });
  const vitest = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  const v = readJson(vitestJson);
  if (v) {
    const vitestRows = vitestSuites(v, { ci, root, projects: ['unit', 'integration'] });
    rows.push(...vitestRows);
    if (vitest.status !== 0 && vitestRows.every((r) => r.failed === 0)) rows.push(notRunSuite('vitest', `exit ${vitest.status ?? vitest.signal} with no failing test: an error outside any test (see above)`));
  } else rows.push(notRunSuite('vitest', `no report (exit ${vitest.status ?? vitest.signal})`));

  // AIML conformance cases from ../shared/conformance; the script says when they are absent.
  const conformance = run('conformance', 'npm', ['run', '--silent', 'test:conformance']);
  rows.push(conformanceSuite(conformance.stdout ?? '', { ci }));

  // End-to-end stories: Chromium against a fresh build, and the Electron app where its binary is installed.
  const electronInstalled = existsSync(join(root, 'node_modules', 'electron', 'dist'));
  const build = run('build', 'npm', ['run', '--silent', 'build']);
  rows.push(checkSuite('build', build.status === 0));
  if (build.status !== 0) {
    rows.push(notRunSuite('e2e', 'the build failed'));
    return;
  }
  const pwJson = join(results, 'playwright.json');
  rmSync(pwJson, { force: true });
  const pw = run('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  const p = readJson(pwJson);
  if (p) {
    const pwRows = playwrightSuites(p, { ci, projects: ['chromium', 'electron'], electronInstalled });
    rows.push(...pwRows);
    if (pw.status !== 0 && pwRows.every((r) => r.failed === 0)) rows.push(notRunSuite('e2e', `exit ${pw.status ?? pw.signal} with no failing test (see above)`));
  } else rows.push(notRunSuite('e2e', `no report (exit ${pw.status ?? pw.signal})`));
}

mkdirSync(results, { recursive: true });
main();
const { table, summary, failed } = render(rows);
writeFileSync(join(results, 'summary.txt'), summary + '\n');
console.log(`\nWhat ran${ci ? ' (CI: a skip for missing data or tools counts as failed)' : ''}:\n${table}\n`);
console.log(summary);
process.exit(failed > 0 ? 1 : 0);
