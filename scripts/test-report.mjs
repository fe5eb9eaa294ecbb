// What `npm test` ran, suite by suite: counts of passed, failed and skipped tests read from each runner's JSON report,
// each skip with its reason. Pure functions over the reports, so the rules are tested on their own
// (tests/unit/test-report.test.ts) without running every suite.
//
// The rules:
// - A skip says why. vitest has no skip reason, so a test that skips for something missing ends its title (or its
//   describe's) with `(skipped: REASON)` (tests/support/requirements.ts builds those titles).
// - In CI (`CI` set) a skip for missing data or tools is a failure: CI installs everything the tests need. The one
//   exception is the Electron binary, which cannot be had without network: those tests are counted as skipped, with
//   the reason, and never pass silently.
// - Playwright's "flaky" (failed, then passed on a retry) is a failure.

/** The one thing CI may lack: a row reporting it stays "skipped" in CI. */
export const ELECTRON_NOT_INSTALLED = 'the Electron binary is not installed (node_modules/electron/dist)';

const SKIP_MARK = /\(skipped: (.*)\)\s*$/;

/** @typedef {{ name: string, passed: number, failed: number, skipped: number, notes: string[] }} Suite */

/** @returns {Suite} */
export function suite(name) {
  return { name, passed: 0, failed: 0, skipped: 0, notes: [] };
}

function countSkip(row, reason, { ci, allowedInCi = false, count = 1 }) {
  if (ci && !allowedInCi) {
    row.failed += count;
    row.notes.push(`failed in CI, would be skipped: ${reason}`);
  } else {
    row.skipped += count;
    row.notes.push(reason.startsWith('not run: ') ? reason : `skipped: ${reason}`);
  }
}

/** Collapses repeated notes into `note (xN)` so a missing data folder is one line, not forty. */
function tidy(row) {
  const counts = new Map();
  for (const n of row.notes) counts.set(n, (counts.get(n) ?? 0) + 1);
  row.notes = [...counts].map(([n, k]) => (k > 1 ? `${n} (x${k})` : n));
  return row;
}

function skipReason(titles) {
  for (const t of titles) {
    const m = SKIP_MARK.exec(t);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * vitest's JSON report, split into one row per project. The project of a file is the folder under tests/
 * (`tests/unit/...` is the unit project). A file that failed to load has no tests: it counts as one failure.
 * @param {any} report vitest's `--reporter=json` output
 * @param {{ ci: boolean, root: string, projects: string[] }} options
 * @returns {Suite[]}
 */
export function vitestSuites(report, { ci, root, projects }) {
  const rows = new Map(projects.map((p) => [p, suite(`vitest ${p}`)]));
  for (const file of report.testResults ?? []) {
    const relative = file.name.startsWith(root) ? file.name.slice(root.length).replace(/^\//, '') : file.name;
    const project = /^tests\/([^/]+)\//.exec(relative)?.[1] ?? 'other';
    if (!rows.has(project)) rows.set(project, suite(`vitest ${project}`));
    const row = rows.get(project);
    const tests = file.assertionResults ?? [];
    if (tests.length === 0 && file.status === 'failed') {
      row.failed += 1;
      row.notes.push(`did not load: ${relative}${file.message ? ` (${firstLine(file.message)})` : ''}`);
      continue;
    }
    for (const t of tests) {
      if (t.status === 'passed') row.passed += 1;
      else if (t.status === 'failed') {
        row.failed += 1;
        row.notes.push(`failed: ${relative} > ${t.fullName}`);
      } else if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') {
        const reason = skipReason([...(t.ancestorTitles ?? []), t.title ?? '']);
        countSkip(row, reason ?? `no reason given (${relative} > ${t.fullName})`, { ci });
      }
    }
  }
  return [...rows.values()].map(tidy);
}

/**
 * Playwright's JSON report, one row per project.
 * @param {any} report Playwright's `--reporter=json` output
 * @param {{ ci: boolean, projects: string[], electronInstalled: boolean }} options
 * @returns {Suite[]}
 */
export function playwrightSuites(report, { ci, projects, electronInstalled }) {
  const rows = new Map(projects.map((p) => [p, suite(`e2e ${p}`)]));
  const visit = (s, file) => {
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const project = t.projectName ?? 'default';
        if (!rows.has(project)) rows.set(project, suite(`e2e ${project}`));
        const row = rows.get(project);
        const where = `${spec.file ?? file} > ${spec.title}`;
        if (t.status === 'expected') row.passed += 1;
        else if (t.status === 'unexpected') {
          row.failed += 1;
          row.notes.push(`failed: ${where}`);
        } else if (t.status === 'flaky') {
          row.failed += 1;
          row.notes.push(`flaky (failed, then passed on a retry): ${where}`);
        } else if (t.status === 'skipped') {
          if (project === 'electron' && !electronInstalled) {
            countSkip(row, `not run: ${ELECTRON_NOT_INSTALLED}`, { ci, allowedInCi: true });
          } else {
            const note = (t.annotations ?? []).find((a) => a.type === 'skip' || a.type === 'fixme')?.description;
            countSkip(row, note || `no reason given (${where})`, { ci });
          }
        }
      }
    }
    for (const child of s.suites ?? []) visit(child, s.file ?? file);
  };
  for (const s of report.suites ?? []) visit(s, s.file);
  // Errors outside any test (a spec that does not compile, a global setup that throws) ran nothing: one failure each.
  const errors = report.errors ?? [];
  if (errors.length > 0) {
    if (rows.size === 0) rows.set('e2e', suite('e2e'));
    const first = rows.values().next().value;
    first.failed += errors.length;
    for (const e of errors) first.notes.push(`error outside any test: ${firstLine(e.message ?? String(e))}`);
  }
  return [...rows.values()].map(tidy);
}

/**
 * The conformance script's output: its last line is `N passed, M failed` (optionally `, K skipped`), and a skip is
 * explained on a line `skipped: REASON`.
 * @returns {Suite}
 */
export function conformanceSuite(stdout, { ci }) {
  const row = suite('conformance');
  const lines = stdout.trim().split('\n');
  const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/.exec((lines.at(-1) ?? '').trim());
  if (!m) {
    row.failed += 1;
    row.notes.push('no summary line');
    return row;
  }
  row.passed = Number(m[1]);
  row.failed = Number(m[2]);
  const skipped = Number(m[3] ?? 0);
  if (skipped > 0) {
    const reason = lines.map((l) => /^skipped: (.*)$/.exec(l.trim())?.[1]).find(Boolean) ?? 'no reason given';
    countSkip(row, reason, { ci, count: skipped });
  }
  if (row.failed > 0 && !row.notes.length) row.notes.push('see FAIL lines above');
  return tidy(row);
}

/** A whole-project check (typecheck, lint, build): nothing counted when it passes, one failure when it does not. */
export function checkSuite(name, ok) {
  const row = suite(name);
  if (!ok) {
    row.failed = 1;
    row.notes.push('failed: see its output above');
  }
  return row;
}

/** A suite that could not run at all because an earlier step failed: one failure, with the reason. */
export function notRunSuite(name, reason) {
  const row = suite(name);
  row.failed = 1;
  row.notes.push(`not run: ${reason}`);
  return row;
}

/** The per-suite table, then the one-line summary (always last). */
export function render(rows) {
  const width = Math.max(...rows.map((r) => r.name.length), 5);
  const num = (n) => String(n).padStart(7);
  const lines = [`${'suite'.padEnd(width)} ${'passed'.padStart(7)} ${'failed'.padStart(7)} ${'skipped'.padStart(7)}`];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(width)} ${num(r.passed)} ${num(r.failed)} ${num(r.skipped)}`);
    for (const n of r.notes) lines.push(`${' '.repeat(width)}   ${n}`);
  }
  const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
  const summary = `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`;
  return { table: lines.join('\n'), summary, failed: total.failed };
}

function firstLine(text) {
  return String(text).split('\n').find((l) => l.trim())?.trim().slice(0, 200) ?? '';
}
