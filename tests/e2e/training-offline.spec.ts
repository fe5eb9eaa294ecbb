import { expect, test, type Locator, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';

// Issue 13: Training is a mirror that works while the link is down. The designer edits a learned category while the
// Platform is away; the edit waits in the outbox and is applied, with the version it was made on, once the Platform
// is back; a new user then gets the edited answer.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

const userLog = (page: Page): Locator => page.getByRole('log', { name: 'Messages' }).locator('li');

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('an edit made while the Platform is down waits, and is applied when it is back', async ({ browser }) => {
  const user = await browser.newPage();
  await user.goto(stack.landingUrl('starter'));
  await say(user, 'Do you ship to Mars?');
  await expect(userLog(user)).toHaveCount(2);

  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  await studio.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
  await studio.getByRole('textbox', { name: 'Reply' }).fill('Every Tuesday.');
  await studio.getByRole('textbox', { name: 'Reply' }).press('Enter');
  await expect(userLog(user).last()).toContainText('Every Tuesday.');

  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
  const learned = studio.getByRole('listbox', { name: 'Learned categories' });
  await learned.getByRole('option', { name: 'DO YOU SHIP TO MARS' }).click();

  await stack.stopPlatform();
  await expect(studio.getByText('Offline: Training shows the categories as last seen from the Platform.')).toBeVisible();
  const details = studio.getByRole('region', { name: 'Category details' });
  await details.getByRole('textbox', { name: 'Template' }).fill('Every Friday, from now on.');
  await details.getByRole('button', { name: 'Save changes' }).click();
  await expect(details.getByText('Kept here: it goes to the Platform, in order, when Studio is connected again.')).toBeVisible();
  await expect(studio.getByText('1 edit waits to be sent, in order: Edit of DO YOU SHIP TO MARS.')).toBeVisible();

  await stack.startPlatform();
  await expect(studio.getByText(/edit waits to be sent/)).toBeHidden({ timeout: 20_000 });
  await expect(learned.getByRole('option', { name: 'DO YOU SHIP TO MARS' })).toContainText('Every Friday, from now on.');

  const newcomer = await browser.newPage();
  await newcomer.goto(stack.landingUrl('starter'));
  await say(newcomer, 'Do you ship to Mars?');
  await expect(userLog(newcomer)).toHaveCount(2);
  await expect(userLog(newcomer).nth(1)).toContainText('Every Friday, from now on.');
});
