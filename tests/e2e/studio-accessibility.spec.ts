import { expect, test, type Page } from '@playwright/test';
import { expectEveryControlNamed, wcagViolations } from '../support/accessibility.js';
import { startStack, type Stack } from './support/stack.js';

// Issue 5: every control has an accessible name, and the screens pass axe-core's WCAG 2.1 AA rules (names, roles,
// contrast) in light and dark, with a conversation open in each of its states.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

// A conversation row is named by its client name (issue 2), which is also the first thing it shows; the
// preview, time and state are its description (aria-describedby). axe's experimental label-in-name check
// wants every visible word of the row inside the name, which would make every row read as one long name.
const violations = (page: Page) => wcagViolations(page, ['label-content-name-mismatch']);

const everyControlIsNamed = (page: Page) =>
  expectEveryControlNamed(page, 'button, input, textarea, select, summary, a[href], [role="switch"], [role="option"], [role="listbox"], [role="log"], [role="timer"]', 5);

for (const colorScheme of ['light', 'dark'] as const) {
  test(`inbox, open conversation, shortcut sheet and settings are accessible (${colorScheme})`, async ({ browser }) => {
    const user = await (await browser.newContext()).newPage();
    await user.goto(stack.landingUrl('starter'));
    await user.getByRole('textbox', { name: 'Message' }).fill(`xyzzy ${colorScheme}`);
    await user.getByRole('button', { name: 'Send' }).click();
    await expect(user.getByRole('log', { name: 'Messages' }).locator('li')).toHaveCount(2);

    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    const studio = await context.newPage();
    await studio.goto(stack.studioUrl('Ada'));
    // Studio reopens where the last story left it (Settings): this one starts in the inbox.
    await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Inbox' }).click();
    const row = studio.getByRole('option').first();
    await row.click();
    await studio.getByText('What matched').last().click();
    expect(await violations(studio)).toEqual([]);
    await everyControlIsNamed(studio);

    // Held by me: countdown, disabled-looking switch off, human message.
    await studio.getByRole('textbox', { name: 'Reply' }).fill('Ada here.');
    await studio.getByRole('textbox', { name: 'Reply' }).press('Enter');
    await expect(studio.getByRole('timer', { name: 'Inactivity countdown' })).toBeVisible();
    expect(await violations(studio)).toEqual([]);
    await everyControlIsNamed(studio);

    await studio.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(studio.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    expect(await violations(studio)).toEqual([]);
    await studio.keyboard.press('Escape');
    await expect(studio.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);

    await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    await expect(studio.getByRole('heading', { name: 'Notifications' })).toBeVisible();
    expect(await violations(studio)).toEqual([]);
    await everyControlIsNamed(studio);
    await context.close();
  });
}

// A bot reply with rich media (AIML 2.1 section 10), uploaded to the bot through the Pandorabots API.
const RICH_AIML = `<?xml version="1.0" encoding="UTF-8"?>
<aiml version="2.0">
<category><pattern>SHOW ME YOUR PLANS</pattern><template>Here are our plans:<card><image>https://example.com/basic.png</image><title>Basic &amp; cheap</title><subtitle>For one bot</subtitle><button><text>Choose Basic</text><postback>CHOOSE BASIC</postback></button></card> Pick one: <button>Yes</button> <reply><text>Maybe</text><postback>MAYBE</postback></reply> or read <link><text>the docs</text><url>https://example.com/docs</url></link>.<delay>1</delay>Also:<list><item>Tea</item><item>Cake</item></list><oob><dial>555 0100</dial></oob></template></category>
</aiml>
`;

test.describe('rich media', () => {
  test.beforeAll(async () => {
    const { appId, userKey } = stack.apiCredentials;
    const put = await fetch(`${stack.platformUrl}/bot/${appId}/starter/file/rich-media.aiml?user_key=${userKey}`, { method: 'PUT', body: RICH_AIML });
    expect(put.status).toBe(200);
    expect((await fetch(`${stack.platformUrl}/bot/${appId}/starter/verify?user_key=${userKey}`)).status).toBe(200);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`a bot reply with a card, buttons, a link, a pause, a list and a device command shows as the user saw it, accessibly (${colorScheme})`, async ({ browser }) => {
      const user = await (await browser.newContext()).newPage();
      await user.goto(stack.landingUrl('starter'));
      await user.getByRole('textbox', { name: 'Message' }).fill('show me your plans');
      await user.getByRole('button', { name: 'Send' }).click();
      await expect(user.getByRole('log', { name: 'Messages' }).locator('li')).toHaveCount(2);

      const studio = await (await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } })).newPage();
      await studio.goto(stack.studioUrl('Ada'));
      await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Inbox' }).click();
      await studio.getByRole('option').first().click();
      const reply = studio.getByRole('log', { name: 'Transcript' }).locator('.message-bot').last();
      await expect(reply).toContainText('Basic & cheap');
      await expect(reply).toContainText('Choose Basic → CHOOSE BASIC');
      await expect(reply).not.toContainText('<card>');
      await expect(reply.getByRole('link', { name: /the docs/ })).toHaveAttribute('href', 'https://example.com/docs');
      await expect(reply.getByRole('list').getByRole('listitem')).toHaveText(['Tea', 'Cake']);
      await expect(reply.getByRole('separator', { name: 'Next message bubble' })).toHaveCount(1);
      await expect(reply).toContainText('(for the device: <dial>555 0100</dial>)');
      // The list's one-line preview has the words, not the markup.
      await expect(studio.getByRole('option').first()).toContainText('Bot: Here are our plans: https://example.com/basic.png Basic & cheap');
      expect(await violations(studio)).toEqual([]);
      await everyControlIsNamed(studio);
    });
  }
});
