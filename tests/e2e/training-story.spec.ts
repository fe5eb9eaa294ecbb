import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseCategories } from '../../aiml/index.js';
import { startStack, type Stack } from './support/stack.js';

// Issue 6's story: a live answer becomes a category in the Training view; the designer broadens its pattern and
// publishes; a new end user asks a variant of the question and the bot answers with the designer's words.
// A real Platform, a real Studio in browser mode, the real renderer in Chromium.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

const ANSWER = 'Yes! We ship to Mars every Tuesday.';

/** The end user's chat log on the Landing Page, one entry per message, in the order shown. */
const userLog = (page: Page): Locator => page.getByRole('log', { name: 'Messages' }).locator('li');

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('a live answer is reviewed, broadened and published, the bot answers a new user with the designer’s words, and the file exports', async ({ browser }) => {
  const designer = await browser.newPage();
  await designer.goto(stack.studioUrl('Ada'));

  // The bot does not know the question: it answers with its default category.
  const user = await browser.newPage();
  await user.goto(stack.landingUrl('starter'));
  await say(user, 'Do you ship to Mars?');
  await expect(userLog(user)).toHaveCount(2);
  const fallback = (await userLog(user).nth(1).textContent()) ?? '';
  expect(fallback).not.toContain('Mars every Tuesday');

  // The designer answers it live.
  const conversations = designer.getByRole('listbox', { name: 'Conversations' });
  await conversations.getByRole('option').first().click();
  const reply = designer.getByRole('textbox', { name: 'Reply' });
  await reply.fill(ANSWER);
  await reply.press('Enter');
  await expect(userLog(user).last()).toContainText(ANSWER);

  // The category appears in Training, with where it came from.
  await designer.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
  const learned = designer.getByRole('listbox', { name: 'Learned categories' });
  const captured = learned.getByRole('option', { name: 'DO YOU SHIP TO MARS' });
  await expect(captured).toBeVisible();
  await expect(captured).toContainText(ANSWER);
  await expect(captured).toContainText('New');
  await captured.click();
  const details = designer.getByRole('region', { name: 'Category details' });
  await expect(details.getByText('where the user wrote')).toContainText('Do you ship to Mars?');

  // Publishing to this (remote) Platform needs its API key, entered once.
  await designer.getByLabel('App ID').fill(stack.apiCredentials.appId);
  await designer.getByLabel('User key').fill(stack.apiCredentials.userKey);
  await designer.getByRole('button', { name: 'Save key' }).click();
  await expect(designer.getByText(`App ${stack.apiCredentials.appId}`)).toBeVisible();

  // The designer broadens the pattern with the suggestion the engine checked, and saves.
  await details.getByRole('button', { name: 'Use pattern ^ SHIP TO MARS ^', exact: true }).click();
  await expect(details.getByRole('textbox', { name: 'Pattern' })).toHaveValue('^ SHIP TO MARS ^');
  await expect(details.getByRole('textbox', { name: /^That/ })).toHaveValue('*');
  await details.getByRole('button', { name: 'Save changes' }).click();
  const broadened = learned.getByRole('option', { name: '^ SHIP TO MARS ^' });
  await expect(broadened).toBeVisible();
  await expect(broadened).toContainText('Reviewed');

  // Before publishing, the preview shows what the bot will answer to a variant, and that the learned category does.
  await designer.getByLabel('Test input').fill('Can you ship to Mars, please?');
  await designer.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = designer.getByRole('status', { name: 'Preview answer' });
  await expect(preview).toContainText(ANSWER);
  await expect(preview).toContainText('^ SHIP TO MARS ^');
  await expect(preview).toContainText('learned');

  // Publish: the Platform compiles the bot with the new file.
  await designer.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(designer.getByText('Published 1 category to starter')).toBeVisible();

  // A new end user asks a variant of the question, and the bot answers with the designer's words.
  const newcomer = await browser.newPage();
  await newcomer.goto(stack.landingUrl('starter'));
  await say(newcomer, 'Can you ship to Mars, please?');
  await expect(userLog(newcomer)).toHaveCount(2);
  // (The widget also says who speaks, for screen readers: "starter: ...".)
  await expect(userLog(newcomer).nth(1)).toContainText(ANSWER);

  // The workspace also exports as a file (a download in browser mode): valid AIML with the learned category.
  const [download] = await Promise.all([designer.waitForEvent('download'), designer.getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe('pand_livetraining.aiml');
  const xml = readFileSync(await download.path(), 'utf8');
  expect(xml).toContain('<!-- Live Training categories for bot starter, written ');
  const parsed = parseCategories(xml, 'pand_livetraining.aiml');
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(parsed.categories.map((c) => [c.pattern, c.template])).toEqual([['^ SHIP TO MARS ^', ANSWER]]);
});
