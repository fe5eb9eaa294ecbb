import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { cliArgs, exited, projectRoot, startCliPlatform } from '../integration/server/support/cli-platform.js';

/** The Platform as its operator runs it (the CLI, its own process and data folder), so it can be killed with -9. */
let data: string;
let platform: { child: ChildProcess; url: string };
test.beforeEach(async () => {
  data = mkdtempSync(join(tmpdir(), 'lts-e2e-widget-'));
  platform = await startCliPlatform(data);
});
test.afterEach(async () => {
  if (platform.child.exitCode === null && platform.child.signalCode === null) platform.child.kill('SIGKILL');
  await exited(platform.child);
  rmSync(data, { recursive: true, force: true });
});

/** A bot owner's site: its own loopback port, so its own origin, with the front page's snippet pasted in. */
async function shopSite(platformUrl: string): Promise<{ url: string; origin: string; server: Server }> {
  const html = `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Our shop</h1>
<script>window.liveTrainingWidget = { bot: "starter", title: "Ask us" };</script>
<script src="${platformUrl}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, origin: new URL(url).origin, server };
}

const widgetOrigins = (...args: string[]) => execFileSync(process.execPath, [...cliArgs, 'widget-origins', 'starter', '--data', data, ...args], { cwd: projectRoot, encoding: 'utf8' });

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('the front page snippet, pasted into a site on another origin, chats by default and continues after the tab is reopened; restricted to other sites, the panel says why', async ({ browser }) => {
  const shop = await shopSite(platform.url);
  try {
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    await page.goto(shop.url);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await say(page, 'Hello');
    await expect(page.locator('.lt-from-bot[data-seq="2"]')).toBeVisible();
    await expect(page.getByText(/Reconnecting/)).toHaveCount(0);
    // The visitor closes the shop's tab and comes back: the widget continues the conversation, with its history.
    await page.close();
    const back = await visitor.newPage();
    await back.goto(shop.url);
    // The panel was open when the tab closed: it opens again by itself.
    await expect(back.getByRole('dialog', { name: 'Chat: Ask us' })).toBeVisible();
    await expect(back.locator('.lt-from-user[data-seq="1"]')).toHaveText(/Hello/);
    await say(back, 'Who are you');
    await expect(back.locator('.lt-from-user[data-seq="3"]')).toHaveText(/Who are you/);
    await visitor.close();

    // The owner restricts the widget to their own shop: this site is refused, and the panel says so in words.
    expect(widgetOrigins('--allow', 'https://shop.example')).toContain('works only on these sites');
    await expect
      .poll(async () => (await fetch(`${platform.url}/widget-settings?bot=starter`, { headers: { Origin: shop.origin } })).status, { timeout: 10_000 })
      .toBe(403);
    const other = await browser.newPage();
    await other.goto(shop.url);
    await other.getByRole('button', { name: /Open chat/ }).click();
    await expect(other.getByRole('dialog', { name: 'Chat: Ask us' }).getByRole('status')).toHaveText(
      `This chat is not available on this site: the bot’s owner has not allowed ${shop.origin} to show it.`,
    );
    await expect(other.getByRole('textbox', { name: 'Message' })).toBeDisabled();

    // Allowed again: any site.
    expect(widgetOrigins('--any')).toContain('works on any site');
    // The running Platform re-reads the list within 2 seconds.
    await expect
      .poll(async () => (await fetch(`${platform.url}/widget-settings?bot=starter`, { headers: { Origin: shop.origin } })).status, { timeout: 10_000 })
      .toBe(200);
    const third = await browser.newPage();
    await third.goto(shop.url);
    await third.getByRole('button', { name: /Open chat/ }).click();
    await expect(third.getByRole('textbox', { name: 'Message' })).toBeEnabled();
  } finally {
    shop.server.close();
  }
});

test('closing and reopening the Landing Page continues the conversation with its history; another browser gets its own', async ({ browser }) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await first.goto(`${platform.url}/chat/starter`);
  await say(first, 'Hello');
  await expect(first.locator('.lt-from-bot[data-seq="2"]')).toBeVisible();
  await first.close();

  const reopened = await context.newPage();
  await reopened.goto(`${platform.url}/chat/starter`);
  await expect(reopened.locator('.lt-from-user[data-seq="1"]')).toHaveText(/Hello/);
  await expect(reopened.locator('.lt-from-bot[data-seq="2"]')).toBeVisible();
  await say(reopened, 'Who are you');
  // The same conversation goes on: the new message is its third.
  await expect(reopened.locator('.lt-from-user[data-seq="3"]')).toHaveText(/Who are you/);

  const otherBrowser = await browser.newContext();
  const stranger = await otherBrowser.newPage();
  await stranger.goto(`${platform.url}/chat/starter`);
  await expect(stranger.getByRole('textbox', { name: 'Message' })).toBeEnabled();
  await expect(stranger.locator('.lt-from-user')).toHaveCount(0);
  await say(stranger, 'Hi there');
  await expect(stranger.locator('.lt-from-user[data-seq="1"]')).toHaveText(/Hi there/);
  await context.close();
  await otherBrowser.close();
});

test('an open Landing Page reconnects to the Platform restarted after kill -9 at the same address and delivers the message typed meanwhile', async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto(`${platform.url}/chat/starter`);
  await say(page, 'Hello');
  await expect(page.locator('.lt-from-bot[data-seq="2"]')).toBeVisible();

  platform.child.kill('SIGKILL');
  await exited(platform.child);
  await expect(page.getByText(/Reconnecting/)).toBeVisible();
  await say(page, 'Are you back?');
  await expect(page.locator('.lt-pending')).toHaveCount(1);

  const port = new URL(platform.url).port;
  platform = await startCliPlatform(data, ['--port', port]);
  await expect(page.locator('.lt-from-user[data-seq="3"]')).toHaveText(/Are you back\?/, { timeout: 30_000 });
  await expect(page.locator('.lt-from-bot[data-seq="4"]')).toBeVisible();
  await expect(page.getByText(/Reconnecting/)).toHaveCount(0);
  await expect(page.locator('.lt-pending')).toHaveCount(0);
});

test('the front page snippet fits its box on a phone and the Copy button copies it; /favicon.ico is served', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.url });
  const page = await context.newPage();
  await page.goto(`${platform.url}/`);
  const favicon = await page.request.get(`${platform.url}/favicon.ico`);
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()['content-type']).toBe('image/x-icon');
  const snippet = page.locator('#widget-snippet');
  await expect(snippet).toContainText(`${platform.url}/widget.js`);
  // Nothing runs past the box: no sideways scrolling, in the box or on the page.
  const pre = page.locator('.snippet pre');
  expect(await pre.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByRole('status')).toHaveText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await snippet.textContent());
  await context.close();
});
