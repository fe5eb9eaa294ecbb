import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';

// Issue 13, the unanswered queue: what users asked that the bot fell back on, grouped as the bot normalises it.
// The designer answers a group once in Training (one category, also sent to the users still online) and ignores
// another; a new user then gets the answer. A real Platform, a real Studio in browser mode, Chromium.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

const ANSWER = 'Yes, we repair zorblaxes on Mondays.';

const userLog = (page: Page): Locator => page.getByRole('log', { name: 'Messages' }).locator('li');

async function ask(browser: Browser, text: string): Promise<Page> {
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill(text);
  await user.getByRole('button', { name: 'Send' }).click();
  await expect(userLog(user)).toHaveCount(2);
  await expect(userLog(user).nth(1)).not.toContainText(ANSWER);
  return user;
}

test('the designer answers a group of unanswered inputs once, the users still online get it, and another group is ignored', async ({ browser }) => {
  // Two users ask the same thing in different words the bot normalises alike; a third asks something else.
  const first = await ask(browser, 'Do you repair zorblax?');
  const second = await ask(browser, 'do you repair ZORBLAX');
  await ask(browser, 'Where is the flurbo shop?');

  const studio = await (await browser.newContext()).newPage();
  await studio.goto(stack.studioUrl('Ada'));
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
  await studio.getByRole('group', { name: 'Training views' }).getByRole('button', { name: 'Unanswered' }).click();
  const queue = studio.getByRole('region', { name: 'Unanswered inputs' });
  const zorblax = queue.getByRole('listitem').filter({ hasText: 'DO YOU REPAIR ZORBLAX' });
  const flurbo = queue.getByRole('listitem').filter({ hasText: 'WHERE IS THE FLURBO SHOP' });
  await expect(zorblax).toContainText('Asked 2 times');
  await expect(zorblax).toContainText('first');
  await expect(zorblax).toContainText('last');
  await expect(flurbo).toContainText('Asked once');

  // A link opens the conversation it was asked in.
  await zorblax.getByRole('button', { name: 'conversation 1' }).click();
  await expect(studio.getByRole('log', { name: 'Transcript' })).toContainText(/repair zorblax/i);
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
  await studio.getByRole('group', { name: 'Training views' }).getByRole('button', { name: 'Unanswered' }).click();

  // Answer once, also to the users still online.
  await zorblax.getByRole('textbox', { name: 'Answer' }).fill(ANSWER);
  await zorblax.getByRole('checkbox', { name: 'Also send to users still online' }).check();
  await zorblax.getByRole('button', { name: 'Answer' }).click();
  await expect(zorblax).toHaveCount(0);
  await expect(userLog(first).last()).toContainText(ANSWER);
  await expect(userLog(second).last()).toContainText(ANSWER);

  // Ignore the other group.
  await flurbo.getByRole('button', { name: 'Ignore' }).click();
  await expect(flurbo).toHaveCount(0);
  await expect(queue.getByText('Nothing unanswered')).toBeVisible();

  // One category was learned, and a new user asking the question gets the answer.
  await studio.getByRole('group', { name: 'Training views' }).getByRole('button', { name: 'Learned' }).click();
  const learned = studio.getByRole('listbox', { name: 'Learned categories' });
  await expect(learned.getByRole('option')).toHaveCount(1);
  await expect(learned.getByRole('option', { name: 'DO YOU REPAIR ZORBLAX' })).toContainText(ANSWER);
  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto(stack.landingUrl('starter'));
  await newcomer.getByRole('textbox', { name: 'Message' }).fill('Do you repair zorblax?');
  await newcomer.getByRole('button', { name: 'Send' }).click();
  await expect(userLog(newcomer)).toHaveCount(2);
  await expect(userLog(newcomer).nth(1)).toContainText(ANSWER);
});
