import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseCategories } from '../../aiml/category-writer.js';
import defaults from '../../resources/live-training-defaults.json' with { type: 'json' };
import { startStack, type Stack } from './support/stack.js';

// Issue 2's story, told with two pages: an end user on the Landing Page and a designer in Studio, against a real
// Platform and a real Studio (browser mode). Every step asserts what one of the two people would see.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

/** The end user's chat log on the Landing Page, one entry per message, in the order shown. */
const userLog = (page: Page): Locator => page.getByRole('log', { name: 'Messages' }).locator('li');

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('a designer takes over a live conversation, hands it back, and the answer becomes AIML', async ({ browser }) => {
  const user = await browser.newPage();
  const designer = await browser.newPage();
  await designer.goto(stack.studioUrl('Ada'));
  const conversations = designer.getByRole('listbox', { name: 'Conversations' });
  await expect(conversations).toBeVisible();
  await expect(conversations.getByRole('option')).toHaveCount(0);

  // The user greets and the bot answers.
  await user.goto(stack.landingUrl('starter'));
  await say(user, 'Hello');
  await expect(userLog(user)).toHaveCount(2);
  await expect(userLog(user).nth(0)).toHaveText('You: Hello'); // "You:" is for screen readers (visually hidden)
  await expect(userLog(user).nth(1)).not.toHaveText('');

  // The conversation appears in Studio under the robot name the Platform gave it.
  const row = conversations.getByRole('option');
  await expect(row).toHaveCount(1);
  const clientName = (await row.getAttribute('aria-label')) ?? '';
  expect(clientName).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  await expect(conversations.getByRole('option', { name: clientName })).toBeVisible();
  await expect(row).toContainText('Bot active');

  // A question the starter bot does not know: it falls back to its default category.
  await say(user, 'What are your opening hours?');
  await expect(userLog(user)).toHaveCount(4);

  // The designer opens the conversation and replies: the takeover.
  await conversations.getByRole('option', { name: clientName }).click();
  const transcript = designer.getByRole('log', { name: 'Transcript' });
  await expect(transcript).toContainText('What are your opening hours?');
  const botActive = designer.getByRole('switch', { name: 'Bot active' });
  await expect(botActive).toHaveAttribute('aria-checked', 'true');
  const reply = designer.getByRole('textbox', { name: 'Reply' });
  await reply.fill('We are open from 9 to 5, Monday to Friday.');
  await reply.press('Enter');

  // The user sees the paused notice, then the designer's reply, in that order.
  await expect(userLog(user)).toHaveCount(6);
  await expect(userLog(user).nth(4)).toHaveText(defaults.pausedMessage);
  await expect(userLog(user).nth(5)).toContainText('We are open from 9 to 5, Monday to Friday.');
  await expect(botActive).toHaveAttribute('aria-checked', 'false');
  await expect(conversations.getByRole('option', { name: clientName })).toContainText('Paused by you');

  // While paused, the user's message reaches the designer and the bot stays silent.
  await say(user, 'Great, and on Saturdays?');
  await expect(transcript).toContainText('Great, and on Saturdays?');
  await expect(userLog(user)).toHaveCount(7);
  // No bot reply to it: the next thing the user sees, once the bot is back on, is the reactivated notice (the log is
  // in the Platform's order, so a reply stored while paused would come before it).

  // The designer switches the bot back on: the user is told, and the bot answers again.
  await botActive.click();
  await expect(botActive).toHaveAttribute('aria-checked', 'true');
  await expect(userLog(user)).toHaveCount(8);
  await expect(userLog(user).nth(7)).toHaveText(defaults.reactivatedMessage);
  await say(user, 'Hello again');
  await expect(userLog(user)).toHaveCount(10);
  await expect(userLog(user).nth(8)).toHaveText('You: Hello again');
  await expect(conversations.getByRole('option', { name: clientName })).toContainText('Bot active');

  // The designer's answer is now AIML: a valid category with the user's input as pattern and the reply as template.
  await expect.poll(() => categoriesIn(stack.workspaceFile('Ada', 'starter')).length).toBeGreaterThan(0);
  const categories = categoriesIn(stack.workspaceFile('Ada', 'starter'));
  expect(categories).toEqual([expect.objectContaining({ pattern: 'WHAT ARE YOUR OPENING HOURS', template: 'We are open from 9 to 5, Monday to Friday.' })]);
});

function categoriesIn(file: string) {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const { categories, diagnostics } = parseCategories(xml, file);
  expect(diagnostics).toEqual([]);
  return categories;
}
