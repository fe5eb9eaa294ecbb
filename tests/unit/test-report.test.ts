import { describe, expect, it } from 'vitest';
import { ELECTRON_NOT_INSTALLED, checkSuite, conformanceSuite, notRunSuite, playwrightSuites, render, vitestSuites } from '../../scripts/test-report.mjs';

// Reports shaped as vitest's and Playwright's JSON reporters write them (trimmed to the fields npm test reads).
const root = '/repo';
const vitestReport = {
  testResults: [
    {
      name: '/repo/tests/unit/a.test.ts',
      status: 'failed',
      assertionResults: [
        { ancestorTitles: ['a'], title: 'works', fullName: 'a works', status: 'passed' },
        { ancestorTitles: ['a'], title: 'breaks', fullName: 'a breaks', status: 'failed' },
        { ancestorTitles: ['a'], title: 'unzips (skipped: the unzip tool is not installed (/usr/bin/unzip))', fullName: 'a unzips', status: 'skipped' },
      ],
    },
    {
      name: '/repo/tests/integration/b.test.ts',
      status: 'passed',
      assertionResults: [
        { ancestorTitles: ['real bots (skipped: ../shared/data is absent)'], title: 'one', fullName: 'real bots one', status: 'skipped' },
        { ancestorTitles: ['real bots (skipped: ../shared/data is absent)'], title: 'two', fullName: 'real bots two', status: 'skipped' },
        { ancestorTitles: [], title: 'quietly skipped', fullName: 'quietly skipped', status: 'skipped' },
      ],
    },
    { name: '/repo/tests/integration/c.test.ts', status: 'failed', message: 'SyntaxError: nope\n  at x', assertionResults: [] },
  ],
};

const pwTest = (projectName: string, status: string, skip?: string) => ({ projectName, status, annotations: skip ? [{ type: 'skip', description: skip }] : [] });
const playwrightReport = {
  suites: [
    {
      file: 'inbox.spec.ts',
      specs: [
        { title: 'passes', file: 'inbox.spec.ts', tests: [pwTest('chromium', 'expected')] },
        { title: 'passes on a retry', file: 'inbox.spec.ts', tests: [pwTest('chromium', 'flaky')] },
        { title: 'needs a tool', file: 'inbox.spec.ts', tests: [pwTest('chromium', 'skipped', 'no tool here')] },
      ],
      suites: [{ title: 'nested', specs: [{ title: 'fails', file: 'inbox.spec.ts', tests: [pwTest('chromium', 'unexpected')] }] }],
    },
    { file: 'studio-window.spec.ts', specs: [{ title: 'opens a window', file: 'studio-window.spec.ts', tests: [pwTest('electron', 'skipped', 'binary absent'), pwTest('electron', 'skipped', 'binary absent')] }] },
  ],
  errors: [],
};

describe('npm test: what ran, suite by suite', () => {
  it('counts vitest per project, with the reason of every skip and a file that did not load as a failure', () => {
    const [unit, integration] = vitestSuites(vitestReport, { ci: false, root, projects: ['unit', 'integration'] });
    expect(unit).toMatchObject({ name: 'vitest unit', passed: 1, failed: 1, skipped: 1 });
    expect(unit!.notes).toEqual(['failed: tests/unit/a.test.ts > a breaks', 'skipped: the unzip tool is not installed (/usr/bin/unzip)']);
    expect(integration).toMatchObject({ name: 'vitest integration', passed: 0, failed: 1, skipped: 3 });
    expect(integration!.notes).toEqual([
      'skipped: ../shared/data is absent (x2)',
      'skipped: no reason given (tests/integration/b.test.ts > quietly skipped)',
      'did not load: tests/integration/c.test.ts (SyntaxError: nope)',
    ]);
  });

  it('in CI, a skip for missing data or tools is a failure', () => {
    const [unit, integration] = vitestSuites(vitestReport, { ci: true, root, projects: ['unit', 'integration'] });
    expect(unit).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
    expect(integration).toMatchObject({ failed: 4, skipped: 0 });
    expect(integration!.notes[0]).toBe('failed in CI, would be skipped: ../shared/data is absent (x2)');
  });

  it('counts Playwright per project; "flaky" is a failure; the missing Electron binary is a visible skip, even in CI', () => {
    for (const ci of [false, true]) {
      const [chromium, electron] = playwrightSuites(playwrightReport, { ci, projects: ['chromium', 'electron'], electronInstalled: false });
      expect(chromium).toMatchObject({ name: 'e2e chromium', passed: 1, failed: ci ? 3 : 2, skipped: ci ? 0 : 1 });
      expect(chromium!.notes).toContain('flaky (failed, then passed on a retry): inbox.spec.ts > passes on a retry');
      expect(electron).toMatchObject({ name: 'e2e electron', passed: 0, failed: 0, skipped: 2 });
      expect(electron!.notes).toEqual([`not run: ${ELECTRON_NOT_INSTALLED} (x2)`]);
    }
    expect(ELECTRON_NOT_INSTALLED).toBe('the Electron binary is not installed (node_modules/electron/dist)');
  });

  it('an Electron test skipped while the binary is installed is an ordinary skip (a failure in CI)', () => {
    const [, electron] = playwrightSuites(playwrightReport, { ci: true, projects: ['chromium', 'electron'], electronInstalled: true });
    expect(electron).toMatchObject({ failed: 2, skipped: 0 });
    expect(electron!.notes).toEqual(['failed in CI, would be skipped: binary absent (x2)']);
  });

  it('a Playwright error outside any test counts as a failure', () => {
    const [chromium] = playwrightSuites({ suites: [], errors: [{ message: 'Error: cannot compile x.spec.ts\nmore' }] }, { ci: false, projects: ['chromium'], electronInstalled: true });
    expect(chromium).toMatchObject({ failed: 1, notes: ['error outside any test: Error: cannot compile x.spec.ts'] });
  });

  it('reads the conformance summary, and its skip when the cases are absent (a failure in CI)', () => {
    expect(conformanceSuite('FAIL x\n280 passed, 3 failed\n', { ci: false })).toMatchObject({ passed: 280, failed: 3, skipped: 0 });
    const absent = 'skipped: /x/shared/conformance is absent\n0 passed, 0 failed, 1 skipped\n';
    expect(conformanceSuite(absent, { ci: false })).toMatchObject({ skipped: 1, notes: ['skipped: /x/shared/conformance is absent'] });
    expect(conformanceSuite(absent, { ci: true })).toMatchObject({ failed: 1, skipped: 0 });
    expect(conformanceSuite('crashed\n', { ci: false })).toMatchObject({ failed: 1, notes: ['no summary line'] });
  });

  it('prints a table of every suite and ends with `N passed, M failed`, adding `, K skipped` only when something was', () => {
    const rows = [checkSuite('typecheck', true), checkSuite('lint', false), ...vitestSuites(vitestReport, { ci: false, root, projects: ['unit', 'integration'] }), notRunSuite('e2e', 'the build failed')];
    const { table, summary, failed } = render(rows);
    expect(summary).toBe('1 passed, 4 failed, 4 skipped');
    expect(failed).toBe(4);
    expect(table.split('\n')[0]).toMatch(/^suite\s+passed\s+failed\s+skipped$/);
    expect(table).toMatch(/^lint\s+0\s+1\s+0$/m);
    expect(table).toMatch(/^vitest integration\s+0\s+1\s+3$/m);
    expect(table).toContain('not run: the build failed');
    expect(render([checkSuite('typecheck', true)]).summary).toBe('0 passed, 0 failed');
  });
});
