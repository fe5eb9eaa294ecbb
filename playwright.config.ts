import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/e2e/support/chromium.js';

export default defineConfig({
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A test that passes only on a retry is a failure, however it was run (npm test counts "flaky" as failed too).
  failOnFlakyTests: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'chromium', testDir: 'tests/e2e' },
    // Playwright's _electron against the real app; each test skips with a one-line reason where Electron's binary is
    // absent, and npm test reports the project as not run (the binary cannot be downloaded without network).
    { name: 'electron', testDir: 'tests/electron' },
  ],
});
