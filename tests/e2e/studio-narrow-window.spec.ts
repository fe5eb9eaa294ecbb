import { expect, test, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { shownConversations } from './support/inbox.js';

// Studio in a narrow window (a laptop split screen, 640 px wide), dark, by keyboard: the inbox shows the list or
// the conversation, never both squeezed; the top bar keeps each item on one line; no view scrolls sideways.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

test.use({ viewport: { width: 640, height: 720 }, colorScheme: 'dark' });

/** Nothing wider than the window, and every top bar item on a single line. */
async function expectFitsTheWindow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(640);
  const tallest = await page.locator('.topbar > *').evaluateAll((items) => Math.max(...items.map((i) => i.getBoundingClientRect().height)));
  expect(tallest).toBeLessThan(40);
}

test('in a narrow window the inbox shows the list or the conversation, and the keyboard moves between them', async ({ browser, page }) => {
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill('do you sell tickets for the moon?');
  await user.getByRole('button', { name: 'Send' }).click();

  await page.goto(stack.studioUrl('Ada'));
  const list = page.getByRole('listbox', { name: 'Conversations' });
  const [name] = await shownConversations(page, 1);
  await expect(list.getByRole('option', { name })).toBeVisible();
  await expectFitsTheWindow(page);

  // Arrowing through the list keeps the list; Enter opens the conversation in its place, at the reply box.
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('option', { name })).toHaveAttribute('aria-selected', 'true');
  await expect(list).toBeVisible();
  await expect(page.getByRole('log', { name: 'Transcript' })).toBeHidden();
  await page.keyboard.press('Enter');
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await expect(reply).toBeFocused();
  await expect(list).toBeHidden();
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('do you sell tickets for the moon?');
  await expectFitsTheWindow(page);

  await page.keyboard.type('Not yet, but we are working on it.');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('switch', { name: 'Bot active' })).toHaveAttribute('aria-checked', 'false');

  // Escape goes back to the list, with the conversation still selected; a click opens it again.
  await page.keyboard.press('Escape');
  await expect(list).toBeFocused();
  await expect(list.getByRole('option', { name })).toHaveAttribute('aria-selected', 'true');
  await expect(list.getByRole('option', { name })).toContainText('Paused by you');
  await list.getByRole('option', { name }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  // The Back button does what Escape does.
  await page.getByRole('button', { name: 'Back to conversations' }).click();
  await expect(list).toBeFocused();
  await expect(page.getByRole('heading', { name })).toBeHidden();

  // A conversation nobody can answer here (it came through the bot API): Enter opens it, and as its reply box is
  // disabled the keyboard lands on the way back, not on nothing.
  const { appId, userKey } = stack.apiCredentials;
  const talk = await fetch(`${stack.platformUrl}/talk/${appId}/starter`, { method: 'POST', body: new URLSearchParams({ input: 'hello', client_name: 'api-tester', user_key: userKey }) });
  expect(talk.status).toBe(200);
  await expect(list.getByRole('option', { name: 'api-tester' })).toBeVisible();
  await list.focus();
  await page.keyboard.press('Home');
  await expect(list.getByRole('option', { name: 'api-tester' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Back to conversations' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(list).toBeFocused();

  for (const view of ['Training', 'Settings']) {
    await page.getByRole('button', { name: view, exact: true }).click();
    await expect(page.getByRole('button', { name: view, exact: true })).toHaveAttribute('aria-current', 'page');
    await expectFitsTheWindow(page);
  }
  // The learned category is one column with its editor: choosing it brings the editor into view.
  await page.getByRole('button', { name: 'Training', exact: true }).click();
  await page.getByRole('listbox', { name: 'Learned categories' }).getByRole('option').first().click();
  await expect(page.getByRole('textbox', { name: 'Pattern' })).toBeInViewport();
});

test('the Training view never scrolls sideways in a window of middle width', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 760 });
  await page.goto(stack.studioUrl('Ada'));
  await page.getByRole('button', { name: 'Training', exact: true }).click();
  await expect(page.getByRole('listbox', { name: 'Learned categories' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1000);
});
