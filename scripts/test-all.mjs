#!/usr/bin/env node
// `npm test`: every check the project has, in order, all of them run even when one fails.
// Ends with one plain line `N passed, M failed` that counts every test run (vitest, conformance cases,
// Playwright) plus each whole-project check (typecheck, lint, build) that failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'out', 'test-results');
mkdirSync(results, { recursive: true });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

let passed = 0;
let failed = 0;
const failures = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  console.log(`=== ${title}: exit ${r.status ?? r.signal} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r;
}

function check(title, command, args) {
  const r = run(title, command, args);
  if (r.status !== 0) {
    failed += 1;
    failures.push(title);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

check('typecheck', 'npx', ['tsc', '-b']);
check('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);

// Unit and integration tests.
const vitestJson = join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
const vitest = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  if (v.numFailedTests > 0) failures.push(`vitest (${v.numFailedTests})`);
  // A suite that failed to load has no tests to count: count it as one failure.
  const brokenFiles = (v.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  if (brokenFiles > 0) {
    failed += brokenFiles;
    failures.push(`vitest files that did not load (${brokenFiles})`);
  }
} else if (vitest.status !== 0) {
  failed += 1;
  failures.push('vitest (no report)');
}

// AIML conformance cases, when the shared cases are present (the script prints `N passed, M failed` last).
if (pkg.scripts['test:conformance'] && existsSync(join(root, '..', 'shared', 'conformance'))) {
  const r = run('conformance', 'npm', ['run', '--silent', 'test:conformance']);
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  const m = /^(\d+) passed, (\d+) failed$/.exec(last.trim());
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    if (Number(m[2]) > 0) failures.push(`conformance (${m[2]})`);
  } else {
    failed += 1;
    failures.push('conformance (no summary)');
  }
}

// End-to-end stories in Chromium, against a fresh build.
const build = run('build', 'npm', ['run', '--silent', 'build']);
if (build.status !== 0) {
  failed += 1;
  failures.push('build');
} else {
  const pwJson = join(results, 'playwright.json');
  rmSync(pwJson, { force: true });
  const pw = run('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  const p = readJson(pwJson);
  if (p?.stats) {
    passed += p.stats.expected + p.stats.flaky;
    failed += p.stats.unexpected;
    if (p.stats.unexpected > 0) failures.push(`e2e (${p.stats.unexpected})`);
    if (p.errors?.length && p.stats.expected + p.stats.unexpected === 0) {
      failed += 1;
      failures.push('e2e (did not start)');
    }
  } else if (pw.status !== 0) {
    failed += 1;
    failures.push('e2e (no report)');
  }
}

const summary = `${passed} passed, ${failed} failed`;
writeFileSync(join(results, 'summary.txt'), summary + '\n');
if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(summary);
process.exit(failed > 0 ? 1 : 0);
