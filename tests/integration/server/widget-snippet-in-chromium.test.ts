import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../e2e/support/chromium.js';
import { DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

/** A bot owner's site on its own origin, embedding the widget with `config` as its snippet. */
function site(platformUrl: string, config: Record<string, unknown>): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script>window.liveTrainingWidget = ${JSON.stringify(config)};</script><script src="${platformUrl}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server })));
}

describe('the widget snippet (real Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(async () => {
    await browser.close();
  });

  it("takes Pandorabots' snippet names (opener, placeholder, avatar, colours) and a disabled call to action", async () => {
    const t = await startTestPlatform();
    const shop = await site(t.url, {
      bot: 'starter',
      title: 'Shop help',
      conversationOpener: 'Welcome to the shop!',
      placeholderText: 'Ask about an order',
      botAvatar: `${t.url}/channels/robot.svg?from=snippet`,
      colors: { theme: '#123456', text: '#fedcba' },
      callToAction: false,
    });
    try {
      const designer = await DesignerClient.connect(t.url, t.ada.token);
      await designer.request('bot.updateSettings', { bot: 'starter', patch: { allowedOrigins: [new URL(shop.url).origin] } });
      await designer.close();
      const page = await browser.newPage();
      const settingsLoaded = page.waitForResponse((r) => r.url().includes('/widget-settings'));
      await page.goto(shop.url);
      const launcher = page.getByRole('button', { name: 'Open chat' });
      await launcher.waitFor();
      // The bot's settings enable the call to action; the snippet's `callToAction: false` wins.
      expect((await settingsLoaded).status()).toBe(200);
      await expect(page.getByRole('complementary', { name: 'Chat invitation' }).isVisible()).resolves.toBe(false);
      await expect(launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(18, 52, 86)');

      await launcher.click();
      await page.getByRole('dialog', { name: 'Chat: Shop help' }).waitFor();
      await page.getByText('Welcome to the shop!').waitFor();
      await expect(page.getByRole('textbox', { name: 'Message' }).getAttribute('placeholder')).resolves.toBe('Ask about an order');
      await expect(page.locator('.lt-avatar').getAttribute('src')).resolves.toBe(`${t.url}/channels/robot.svg?from=snippet`);
      await expect(page.locator('.lt-header').evaluate((el) => getComputedStyle(el).color)).resolves.toBe('rgb(254, 220, 186)');
      await page.close();
    } finally {
      shop.server.close();
      await t.close();
    }
  });
});
