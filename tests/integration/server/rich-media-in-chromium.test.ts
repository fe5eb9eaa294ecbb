import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../e2e/support/chromium.js';
import { wcagViolations } from '../../support/accessibility.js';
import { aimlFile, botOwnerApi } from './support/bot-owner-api.js';
import { DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

/** A bot that answers with every kind of AIML rich media Pandorabots' widget shows. */
function showcaseBot(platformUrl: string): Record<string, string> {
  const picture = `${platformUrl}/channels/robot.svg`;
  return {
    'showcase.aiml': aimlFile({
      MENU: 'What would you like?<button><text>Opening hours</text><postback>HOURS</postback></button><button><text>Our site</text><url>https://example.org/</url></button>',
      HOURS: 'We open at nine.<split/>And close at five.',
      COLOURS: 'Pick a colour.<reply><text>Red</text><postback>COLOUR RED</postback></reply><reply>Blue</reply>',
      'COLOUR RED': 'Red it is.',
      BLUE: 'Blue it is.',
      SHOP: `<carousel>${['Tea', 'Cake', 'Scones', 'Jam']
        .map((item) => `<card><image>${picture}</image><title>${item}</title><subtitle>Fresh ${item.toLowerCase()}</subtitle><button><text>Buy ${item.toLowerCase()}</text><postback>BUY ${item.toUpperCase()}</postback></button></card>`)
        .join('')}</carousel>`,
      'BUY *': 'One <star/> coming up.',
      WAIT: 'Let me check.<delay>1</delay>Found it!',
      LINKS: 'Read <link><text>the guide</text><url>https://example.org/guide</url></link> or <link><text>this</text><url>javascript:alert(1)</url></link>. <b>Bold?</b> <image>javascript:alert(2)</image>',
      LIST: 'We have:<list><item>Tea</item><item>Cake, see <link><text>the menu</text><url>https://example.org/menu</url></link></item></list>Then:<olist><item>Order</item><item>Pay</item></olist>',
      PICTURE: `Here:<image>${picture}</image>`,
      MOVIE: `Watch this:<video>${platformUrl}/no-such-video.mp4</video>`,
      DIAL: '<oob><dial>5551234</dial></oob>',
    }),
  };
}

/** The widget lives in a shadow root: Playwright's role locators pierce it. */
async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** The texts of the bubbles of the last bot message. */
function lastBotBubbles(page: Page): Promise<string[]> {
  return page.locator('.lt-list > li.lt-from-bot').last().locator('.lt-bubble').allTextContents();
}

describe('rich media in the end-user channels (real Chromium, real Platform)', () => {
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

  async function showcase(viewport = { width: 1200, height: 860 }) {
    t = await startTestPlatform();
    await botOwnerApi(t.url, t.platform.apiCredentials).createBot('showcase', showcaseBot(t.url));
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${t.url}/chat/showcase`);
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    return { page, context, platform: t };
  }

  it('buttons send their postback and show their text; url buttons and links open in a new tab; split makes bubbles; lists are lists; a reload keeps it all', async () => {
    const { page, context, platform } = await showcase();
    const designer = await DesignerClient.connect(platform.url, platform.ada.token);
    await send(page, 'menu');
    await page.getByRole('button', { name: 'Opening hours' }).click();
    await page.getByText('And close at five.').waitFor();
    expect(await lastBotBubbles(page)).toEqual(['We open at nine.', 'And close at five.']);
    // The user's bubble shows the button's text; the bot (and the designer) got its postback.
    await expect(page.locator('.lt-from-user .lt-bubble').allTextContents()).resolves.toEqual(['menu', 'Opening hours']);
    const transcript = (await designer.request('conversation.list', { bot: 'showcase', filter: 'all' })).conversations[0]!;
    const messages = (await designer.request('conversation.transcript', { conversationId: transcript.id })).messages;
    expect(messages.filter((m) => m.author === 'user').map((m) => m.text)).toEqual(['menu', 'HOURS']);

    const site = page.getByRole('link', { name: 'Our site (opens in a new tab)' });
    await expect(site.getAttribute('href')).resolves.toBe('https://example.org/');
    await expect(site.getAttribute('target')).resolves.toBe('_blank');
    await expect(site.getAttribute('rel')).resolves.toBe('noopener noreferrer');

    await send(page, 'links');
    await page.getByRole('link', { name: 'the guide (opens in a new tab)' }).waitFor();
    // Never a javascript: link, never markup from the bot: unknown tags are shown as the text they are.
    await expect(page.locator('a[href^="javascript"], b, img[src^="javascript"]').count()).resolves.toBe(0);
    expect((await lastBotBubbles(page)).join('')).toBe('Read the guide (opens in a new tab) or this. <b>Bold?</b> <image>javascript:alert(2)</image>');

    await send(page, 'list');
    // Lists are lists (screen readers announce their items), with their links; bulleted and numbered.
    const lists = page.locator('.lt-list > li.lt-from-bot').last().locator('.lt-items');
    await expect.poll(() => lists.count()).toBe(2);
    await expect(lists.evaluateAll((all) => all.map((l) => [l.tagName, ...[...l.children].map((li) => li.textContent)]))).resolves.toEqual([
      ['UL', 'Tea', 'Cake, see the menu (opens in a new tab)'],
      ['OL', 'Order', 'Pay'],
    ]);
    await expect(page.getByRole('link', { name: 'the menu (opens in a new tab)' }).getAttribute('href')).resolves.toBe('https://example.org/menu');

    await send(page, 'picture');
    const picture = page.getByRole('img', { name: 'Image from the bot' });
    await picture.waitFor();
    await expect(picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    await send(page, 'movie');
    // A video the browser cannot play becomes a link to it.
    await page.getByRole('link', { name: 'Open the video (opens in a new tab)' }).waitFor();
    expect(await wcagViolations(page)).toEqual([]);

    await page.reload();
    await page.getByText('And close at five.').waitFor();
    await expect(page.locator('.lt-from-user .lt-bubble').allTextContents()).resolves.toEqual(['menu', 'Opening hours', 'links', 'list', 'picture', 'movie']);
    await page.getByRole('button', { name: 'Opening hours' }).waitFor();
    await designer.close();
    await context.close();
  });

  it('quick replies work from the keyboard and disappear once used; typing dots show a delay; carousels swipe and scroll by button', async () => {
    const { page, context } = await showcase();
    await send(page, 'colours');
    const replies = page.getByRole('group', { name: 'Suggested replies' });
    await replies.waitFor();
    // Keyboard only: from the message box, Shift+Tab moves back into the quick replies.
    await page.getByRole('textbox', { name: 'Message' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(page.evaluate(() => document.querySelector('.live-training-widget')!.shadowRoot!.activeElement?.textContent)).resolves.toBe('Red');
    await page.keyboard.press('Enter');
    await page.getByText('Red it is.').waitFor();
    await expect(replies.count()).resolves.toBe(0);
    // The tapped reply is gone; the keyboard is back in the message box, not lost on the page.
    await expect(page.evaluate(() => document.querySelector('.live-training-widget')!.shadowRoot!.activeElement?.getAttribute('aria-label'))).resolves.toBe('Message');

    // Typing anything instead of tapping also takes them away.
    await send(page, 'colours');
    await page.getByRole('group', { name: 'Suggested replies' }).waitFor();
    await send(page, 'blue');
    await page.getByText('Blue it is.').waitFor();
    await expect(page.getByRole('group', { name: 'Suggested replies' }).count()).resolves.toBe(0);

    await send(page, 'wait');
    // Read in one go while the dots show: the words after the delay are not there yet.
    const duringDelay = await page.waitForFunction(() => {
      const root = document.querySelector('.live-training-widget')!.shadowRoot!;
      return root.querySelector('.lt-typing') ? { after: root.textContent!.includes('Found it!') } : null;
    });
    expect(await duringDelay.jsonValue()).toEqual({ after: false });
    await page.getByText('Found it!').waitFor();
    await expect(page.locator('.lt-typing').count()).resolves.toBe(0);
    expect(await lastBotBubbles(page)).toEqual(['Let me check.', 'Found it!']);

    await send(page, 'shop');
    const carousel = page.getByRole('group', { name: '4 cards' });
    await carousel.waitFor();
    const track = carousel.locator('.lt-cards');
    await expect(page.getByRole('button', { name: 'Previous card' }).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Next card' }).click();
    await expect.poll(() => track.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
    await page.getByRole('group', { name: 'Card 3 of 4: Scones' }).getByRole('button', { name: 'Buy scones' }).click();
    await page.getByText('One scones coming up.').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await context.close();
  });

  it('a reply made only of a device command (<oob>) shows the end user nothing, not its markup', async () => {
    const { page } = await showcase();
    await send(page, 'dial');
    await send(page, 'hours');
    await page.getByText('And close at five.').waitFor();
    const shown = await page.getByRole('log', { name: 'Messages' }).innerText();
    expect(shown).not.toContain('5551234');
    expect(shown).not.toContain('oob');
    // The user's two messages and the bot's answer to the second; the device command's item is there but unseen.
    expect(await page.locator('.lt-list > li:visible').count()).toBe(3);
    expect(await page.locator('.lt-list > li').count()).toBe(4);
  });

  it('on a phone the carousel stays inside the chat and swipes sideways without moving the page', async () => {
    const { page, context } = await showcase({ width: 390, height: 760 });
    await send(page, 'shop');
    const track = page.getByRole('group', { name: '4 cards' }).locator('.lt-cards');
    await track.waitFor();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    const box = (await track.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await expect(track.evaluate((el) => el.scrollWidth > el.clientWidth)).resolves.toBe(true);
    await context.close();
  });
});
