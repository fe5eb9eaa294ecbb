import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../e2e/support/chromium.js';
import { aimlFile, botOwnerApi } from './support/bot-owner-api.js';
import { DesignerClient } from './support/clients.js';
import { silentNetwork } from './support/silent-network.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

const LONG_REPLY = `Start of the long answer. ${'Every sentence here matters to the reader. '.repeat(60)}End of the long answer.`;

/** Is the element's box inside the other's (both as the user sees them)? */
async function inside(page: Page, inner: string, outer: string): Promise<boolean> {
  return page.evaluate(
    ([i, o]) => {
      const root = document.querySelector('.live-training-widget')!.shadowRoot!;
      const find = (sel: string) => (sel === 'viewport' ? null : (root.querySelector(sel) ?? document.querySelector(sel)));
      const a = find(i!)!.getBoundingClientRect();
      const outerEl = find(o!);
      const b = outerEl ? outerEl.getBoundingClientRect() : { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
      return a.top >= b.top - 1 && a.bottom <= b.bottom + 1 && a.left >= b.left - 1 && a.right <= b.right + 1;
    },
    [inner, outer],
  );
}

describe('the channels as a demanding end user finds them (real Chromium)', () => {
  let browser: Browser;
  let t: TestPlatform | undefined;
  beforeAll(async () => {
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(async () => {
    await browser.close();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function landing(viewport: { width: number; height: number }) {
    t = await startTestPlatform();
    await botOwnerApi(t.url, t.platform.apiCredentials).createBot('talker', { 'talker.aiml': aimlFile({ LONG: LONG_REPLY, HELLO: 'Short answer.' }) });
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${t.url}/chat/talker`);
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    return { page, context };
  }

  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 760 }],
  ] as const) {
    it(`${device}: a long reply is read from its beginning, and the message box stays on screen however long the chat`, async () => {
      const { page, context } = await landing(viewport);
      const box = page.getByRole('textbox', { name: 'Message' });
      for (let i = 0; i < 6; i++) {
        await box.fill(`question ${i}`);
        await box.press('Enter');
        await page.locator(`.lt-from-bot[data-seq="${2 * i + 2}"]`).waitFor();
      }
      await box.fill('long');
      await box.press('Enter');
      await page.getByText('Start of the long answer.').waitFor();
      // The log scrolls inside the chat; the chat does not grow with the conversation.
      await expect(page.locator('.lt-log').evaluate((log) => log.scrollHeight > log.clientHeight)).resolves.toBe(true);
      expect((await page.locator('.lt-panel').boundingBox())!.height).toBeLessThanOrEqual(viewport.height);
      if (device === 'desktop') expect(await inside(page, '.lt-form', 'viewport')).toBe(true); // beside the page, no scrolling
      await box.scrollIntoViewIfNeeded();
      expect(await inside(page, '.lt-form', 'viewport')).toBe(true);
      // The first line of the long reply is in view, not its last.
      await expect
        .poll(() =>
          page.locator('.lt-list > li').last().evaluate((li) => {
            const log = li.closest('.lt-log')!.getBoundingClientRect();
            const top = li.getBoundingClientRect().top;
            return top >= log.top - 1 && top < log.bottom - 20;
          }),
        )
        .toBe(true);
      await context.close();
    });
  }

  it('a screen reader hears who said each message, and finds the chat as one landmark', async () => {
    const { page, context } = await landing({ width: 1280, height: 800 });
    // The page's timers on Playwright's clock (it keeps running in real time until told otherwise).
    await page.clock.install();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('hello');
    await box.press('Enter');
    await page.locator('.lt-from-bot[data-seq="2"]').waitFor();
    const tree = await page.locator('main').ariaSnapshot();
    expect(tree).toContain('listitem: "You: hello"');
    expect(tree).toContain('listitem: "talker: Short answer."');
    await expect(page.getByRole('region', { name: /chat/i }).count()).resolves.toBe(1);
    await context.close();
  });

  it('a pasted message over the limit is kept whole and the user is told by how much; the box grows with the text', async () => {
    const { page, context } = await landing({ width: 1280, height: 800 });
    const box = page.getByRole('textbox', { name: 'Message' });
    const oneLine = (await box.boundingBox())!.height;
    await box.fill('first line\nsecond line\nthird line');
    expect((await box.boundingBox())!.height).toBeGreaterThan(oneLine * 1.5);

    await box.fill('x'.repeat(2_100));
    await expect(box.inputValue()).resolves.toHaveLength(2_100);
    await page.getByText('A message is at most 2000 characters: this one is 100 too long.').waitFor();
    await expect(box.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.lt-from-user').count()).resolves.toBe(0);
    await expect(box.inputValue()).resolves.toHaveLength(2_100); // nothing lost

    await box.press('End');
    for (let i = 0; i < 100; i++) await box.press('Backspace');
    await expect(page.getByText(/too long/).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.lt-from-bot[data-seq="2"]').waitFor();
    await expect(page.locator('.lt-from-user .lt-bubble').first().textContent()).resolves.toHaveLength(2_000);
    await context.close();
  });

  it('a connection that goes silent (no close) is noticed: the message is sent again on a new connection, stored once', async () => {
    t = await startTestPlatform();
    const network = await silentNetwork(t.platform.port);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.clock.install();
      await page.goto(`http://127.0.0.1:${network.port}/chat/starter`);
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('Hello');
      await box.press('Enter');
      await page.locator('.lt-from-bot[data-seq="2"]').waitFor();

      network.goSilent();
      await box.fill('Who are you');
      await box.press('Enter');
      await page.locator('.lt-pending').waitFor();
      // Ten seconds without the Platform storing it: the widget gives up on that socket and opens a new one.
      await page.clock.runFor(12_000);
      await page.locator('.lt-from-bot[data-seq="4"]').waitFor({ timeout: 10_000 });
      await expect(page.locator('.lt-pending').count()).resolves.toBe(0);
      const users = await page.locator('.lt-from-user .lt-bubble').allTextContents();
      expect(users).toEqual(['Hello', 'Who are you']);
      // The Platform has it once, though it was sent twice.
      const client = await DesignerClient.connect(t.url, t.ada.token);
      const [conversation] = (await client.request('conversation.list', { filter: 'all' })).conversations;
      const { messages } = await client.request('conversation.transcript', { conversationId: conversation!.id });
      expect(messages.filter((m) => m.author === 'user').map((m) => m.text)).toEqual(['Hello', 'Who are you']);
      await client.close();
    } finally {
      await context.close();
      network.close();
    }
  });

  it('a bot deleted mid-conversation: the chat says it is no longer available and stops reconnecting; a widget (loaded in <head>) for a bot that is not there says so', async () => {
    const { page, context } = await landing({ width: 1280, height: 800 });
    // The page's timers on Playwright's clock (it keeps running in real time until told otherwise).
    await page.clock.install();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('hello');
    await box.press('Enter');
    await page.locator('.lt-from-bot[data-seq="2"]').waitFor();
    const upgrades: string[] = [];
    page.on('websocket', (ws) => upgrades.push(ws.url()));
    await botOwnerApi(t!.url, t!.platform.apiCredentials).deleteBot('talker');
    await page.getByText('This chat is no longer available.').waitFor();
    await expect(box.isDisabled()).resolves.toBe(true);
    // A reconnect would come within a second (the first backoff is at most 1 s): a minute of the page's time runs
    // every timer it set, at once; a socket opened by one would be reported before the next round trip returns.
    await page.clock.runFor(60_000);
    await page.evaluate(() => document.readyState);
    expect(upgrades).toEqual([]);

    // This site loads the widget in <head>, before <body> exists: it must still appear.
    const site = createServer((_req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<!doctype html><html lang="en"><title>Shop</title><script>window.liveTrainingWidget = { bot: "nosuchbot" };</script><script src="${t!.url}/widget.js"></script></html>`),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const shop = await context.newPage();
      await shop.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      await shop.getByRole('button', { name: 'Open chat' }).click();
      await shop.getByText('This chat is not available.').waitFor();
    } finally {
      site.close();
    }
    await context.close();
  });
});
