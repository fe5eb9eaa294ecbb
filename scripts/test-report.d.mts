// Types for test-report.mjs (plain JavaScript so `npm test` runs on bare Node), used by its unit test.
export const ELECTRON_NOT_INSTALLED: string;
export interface Suite {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}
export function suite(name: string): Suite;
export function vitestSuites(report: unknown, options: { ci: boolean; root: string; projects: string[] }): Suite[];
export function playwrightSuites(report: unknown, options: { ci: boolean; projects: string[]; electronInstalled: boolean }): Suite[];
export function conformanceSuite(stdout: string, options: { ci: boolean }): Suite;
export function checkSuite(name: string, ok: boolean): Suite;
export function notRunSuite(name: string, reason: string): Suite;
export function render(rows: Suite[]): { table: string; summary: string; failed: number };
