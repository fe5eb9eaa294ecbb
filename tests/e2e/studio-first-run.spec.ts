import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from '../../main/browser-host.js';
import { openConfSettings } from '../../main/settings/conf-store.js';
import { Studio } from '../../main/studio.js';
import { startPlatform, type RunningPlatform } from '../../server/platform.js';

// Issue 5: a Studio with no Platform chosen opens on the first-run screen; a wrong token gets the banner that
// says the Platform refused it; entering the right one connects. A real Platform and a real Studio in browser
// mode, built here because the shared stack starts Studios already configured.

const REPO = resolve(import.meta.dirname, '../..');
let root: string;
let platform: RunningPlatform;
let studio: Studio;
let host: BrowserHost;
let token: string;

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lts-first-run-'));
  platform = await startPlatform({ dataDir: join(root, 'platform'), port: 0, logger: false });
  token = (await platform.createDesigner('Cleo')).token;
  const home = join(root, 'studio');
  mkdirSync(home, { recursive: true });
  const { settings } = openConfSettings(join(home, 'settings'));
  studio = new Studio({
    host: 'browser',
    settings,
    defaultWorkspaceDir: join(home, 'workspace'),
    link: { backoff: { baseMs: 100, capMs: 1_000 }, heartbeatMs: 5_000, deadPeerMs: 5_000, requestTimeoutMs: 15_000 },
  });
  host = await startBrowserHost({ dispatcher: studio.dispatcher, events: studio.events, rendererDir: join(REPO, 'out', 'renderer') });
  await studio.start();
});

test.afterAll(async () => {
  await host?.close();
  await studio?.close();
  await platform?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('first run asks for the Platform; a refused token is explained; the right one connects', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Live Training Studio' })).toBeVisible();

  await page.getByRole('radio', { name: /A Platform server/ }).check();
  await page.getByLabel('Platform URL', { exact: true }).fill('bots.example.com');
  await page.getByLabel('Designer token', { exact: true }).fill('whatever');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('alert')).toContainText('It starts with https:// or http://.');

  await page.getByLabel('Platform URL', { exact: true }).fill(platform.url);
  await page.getByLabel('Designer token', { exact: true }).fill('not-the-token');
  await page.getByRole('button', { name: 'Connect' }).click();
  const banner = page.getByRole('alert').filter({ hasText: "refused Studio's designer token" });
  await expect(banner).toBeVisible({ timeout: 15_000 });

  await banner.getByRole('button', { name: 'Change token' }).click();
  await expect(page.getByRole('heading', { name: 'Platform' })).toBeFocused();
  await page.getByLabel('Designer token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByText('Signed in as Cleo')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Inbox' }).click();
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
});
