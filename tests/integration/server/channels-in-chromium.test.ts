import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../server/platform.js';
import { chromiumLaunchOptions } from '../../e2e/support/chromium.js';
import { wcagViolations } from '../../support/accessibility.js';
import { DesignerClient } from './support/clients.js';
import { startTestPlatform, tempDataDir } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

/** The chat's messages as the end user sees them, in page order (they live in the widget's shadow root). */
async function shownMessages(page: Page): Promise<Array<{ kind: string; text: string }>> {
  return page.locator('.lt-list > li').evaluateAll((items) =>
    items.map((li) => ({
      kind: li.classList.contains('lt-notice') ? 'notice' : li.classList.contains('lt-from-user') ? 'user' : li.classList.contains('lt-from-human') ? 'human' : 'bot',
      text: (li.querySelector('.lt-bubble')?.lastChild?.textContent ?? li.textContent ?? '').trim(),
    })),
  );
}

async function send(page: Page, text: string, how: 'click' | 'enter' = 'click'): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  if (how === 'click') await page.getByRole('button', { name: 'Send' }).click();
  else await box.press('Enter');
}

/** A page on another origin that embeds the widget with a snippet, as a bot owner's site would. */
function hostSite(platformUrl: string, snippet: Record<string, unknown>): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title></head>
<body><h1>Our shop</h1><a href="#top">First link</a>
<script>window.liveTrainingWidget = ${JSON.stringify(snippet)};</script>
<script src="${platformUrl}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server })));
}

describe('the end-user channels in a real browser', () => {
  let browser: Browser;
  let t: TestPlatform;
  beforeAll(async () => {
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(async () => {
    await browser.close();
  });
  afterEach(async () => {
    await t?.close();
  });

  it('Landing Page: the user chats, sees a takeover in order, and a reload continues the conversation without duplicates', async () => {
    t = await startTestPlatform();
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    await designer.request('bot.updateSettings', {
      bot: 'starter',
      patch: { landingPage: { title: 'Starter & Co', description: 'We <b>answer</b> questions.', author: { name: 'Ada', email: 'ada@example.com', website: '', links: [] } } },
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/chat/starter`);
    await expect(page.title()).resolves.toBe('Starter & Co');
    await page.getByRole('heading', { name: 'Starter & Co' }).waitFor();
    // Settings are text, never markup.
    await page.getByText('We <b>answer</b> questions.').waitFor();
    await page.getByRole('link', { name: 'ada@example.com' }).waitFor();

    await send(page, 'Hello');
    await page.locator('.lt-from-bot[data-seq="2"]').waitFor();
    await send(page, 'Who are you', 'enter');
    await page.locator('[data-seq="4"]').waitFor();

    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    await designer.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Hi, a person here.' });
    await page.getByText('Hi, a person here.').waitFor();
    const afterTakeover = await shownMessages(page);
    expect(afterTakeover.slice(-2).map((m) => m.kind)).toEqual(['notice', 'bot']); // notice styled apart; the human looks like the bot
    expect(afterTakeover.at(-2)!.text).toBe((await designer.request('bot.settings', { bot: 'starter' })).settings.pausedMessage);
    expect(await wcagViolations(page)).toEqual([]);

    await page.reload();
    await page.getByText('Hi, a person here.').waitFor();
    const reloaded = await shownMessages(page);
    expect(reloaded).toEqual(afterTakeover);
    await send(page, 'Thanks');
    await page.locator('[data-seq="7"]').waitFor();
    expect((await shownMessages(page)).filter((m) => m.text === 'Thanks')).toHaveLength(1);
    // A new browser session is a new conversation.
    const other = await browser.newContext();
    const fresh = await other.newPage();
    await fresh.goto(`${t.url}/chat/starter`);
    await fresh.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await shownMessages(fresh)).toEqual([]);
    await other.close();
    await context.close();
    await designer.close();
  });

  it('reconnects by itself after the Platform restarts, delivering what was typed meanwhile, each message once', async () => {
    const data = tempDataDir('reconnect');
    let platform: RunningPlatform = await startPlatform({ dataDir: data.dir, logger: false });
    t = { close: async () => (await platform.close(), data.remove()) } as TestPlatform;
    const { port } = platform;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${platform.url}/chat/starter`);
    await send(page, 'Hello');
    await page.locator('[data-seq="2"]').waitFor();

    await platform.close();
    await page.getByText(/Reconnecting/).waitFor();
    await send(page, 'Who are you'); // typed while the Platform is down: kept and sent on reconnect
    platform = await startPlatform({ dataDir: data.dir, logger: false, port });
    await page.locator('.lt-from-bot[data-seq="4"]').waitFor({ timeout: 20_000 });
    const shown = await shownMessages(page);
    expect(shown.map((m) => m.kind)).toEqual(['user', 'bot', 'user', 'bot']);
    expect(shown.filter((m) => m.text === 'Who are you')).toHaveLength(1);
    await context.close();
  });

  it('Chat Widget on another site: origin allowed per bot, keyboard only, snippet appearance, call to action, phone layout', async () => {
    t = await startTestPlatform();
    const site = await hostSite(t.url, {
      bot: 'starter',
      title: 'Ask the Shop',
      subtitle: 'Usually answers at once',
      openingMessage: 'Hi! What can I do for you?',
      themeColour: '#0a7d32',
      callToAction: { enabled: true, title: 'Need help?', text: 'Our assistant is here.', buttonText: 'Start chatting' },
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
      // Any site may show the widget unless the bot's owner lists the allowed ones: this one is not listed.
      const designer = await DesignerClient.connect(t.url, t.ada.token);
      await designer.request('bot.updateSettings', { bot: 'starter', patch: { allowedOrigins: ['https://elsewhere.example'] } });
      await page.goto(site.url);
      // The call to action shows first and can be dismissed.
      await page.getByRole('button', { name: 'Start chatting' }).waitFor();
      await page.getByRole('button', { name: 'Dismiss' }).click();
      await page.getByRole('button', { name: 'Start chatting' }).waitFor({ state: 'hidden' });

      // Keyboard only: Tab to the launcher, Enter opens the panel with the focus in the message box.
      const launcher = page.getByRole('button', { name: 'Open chat' });
      await page.getByRole('link', { name: 'First link' }).focus();
      await page.keyboard.press('Tab');
      await expect(launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Chat: Ask the Shop' });
      await dialog.waitFor();
      expect(await wcagViolations(page)).toEqual([]);
      await page.getByText('Usually answers at once').waitFor();
      await page.getByText('Hi! What can I do for you?').waitFor();
      // This site is not among the bot's allowed origins: the panel says so in words, the console says how to fix it.
      const origin = new URL(site.url).origin;
      await page.getByText(`This chat is not available on this site: the bot’s owner has not allowed ${origin} to show it.`).waitFor();
      await expect(page.getByRole('textbox', { name: 'Message' }).isDisabled()).resolves.toBe(true);
      await expect.poll(() => consoleErrors.some((e) => e.includes(`add ${origin} to the bot's allowed origins`))).toBe(true);
      // Nothing to type in yet: the focus is on the panel's one working control.
      await expect(dialog.getByRole('button', { name: 'Close chat' }).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);

      await designer.request('bot.updateSettings', { bot: 'starter', patch: { allowedOrigins: [origin] } });
      await page.getByText(/not available on this site/).waitFor({ state: 'hidden', timeout: 20_000 });
      await page.getByRole('textbox', { name: 'Message' }).focus();
      await page.keyboard.type('Hello');
      await page.keyboard.press('Enter');
      await page.locator('.lt-from-bot[data-seq="2"]').waitFor();
      const header = page.locator('.lt-header');
      await expect(header.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(10, 125, 50)');

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expect(launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);

      // A designer answers while the panel is closed: the launcher announces it.
      const { conversations } = await designer.request('conversation.list', { filter: 'all' });
      await designer.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Anything else?' });
      await page.getByRole('button', { name: 'Open chat (new message)' }).waitFor();

      // On a phone the panel takes the whole screen.
      await page.setViewportSize({ width: 390, height: 760 });
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      const box = await dialog.boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 760 });
      // And the conversation survived closing and reopening the panel, once.
      expect((await shownMessages(page)).filter((m) => m.kind === 'user').map((m) => m.text)).toEqual(['Hello']);
      expect((await shownMessages(page)).at(-1)).toEqual({ kind: 'bot', text: 'Anything else?' });
      await designer.close();
      await context.close();
    } finally {
      site.server.close();
    }
  });
});
