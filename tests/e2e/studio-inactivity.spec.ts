import { expect, test } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { shownConversations } from './support/inbox.js';

// Issue 5: while Ada holds a conversation a countdown shows when inactivity hands it back; when she stays
// inactive past the (shortened) timeout, the bot takes over again and the user gets the inactivity notice.

const TIMEOUT_MS = 4_000;
let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'], inactivityTimeoutMs: TIMEOUT_MS });
});
test.afterAll(async () => {
  await stack?.close();
});

test('inactivity hands the conversation back to the bot', async ({ browser }) => {
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  const userLog = user.getByRole('log', { name: 'Messages' });
  await user.getByRole('textbox', { name: 'Message' }).fill('hello');
  await user.getByRole('button', { name: 'Send' }).click();
  await expect(userLog.locator('li')).toHaveCount(2);

  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  const [name] = await shownConversations(studio, 1);
  await studio.getByRole('option', { name }).click();
  await studio.getByRole('textbox', { name: 'Reply' }).fill('Hi, Ada here.');
  await studio.getByRole('textbox', { name: 'Reply' }).press('Enter');

  const countdown = studio.getByRole('timer', { name: 'Inactivity countdown' });
  await expect(countdown).toContainText(/The bot takes over again in 0:0[0-4]/);
  await expect(studio.getByRole('switch', { name: 'Bot active' })).toHaveAttribute('aria-checked', 'false');

  // Ada does nothing now. The bot comes back on its own.
  await expect(studio.getByRole('switch', { name: 'Bot active' })).toHaveAttribute('aria-checked', 'true', { timeout: TIMEOUT_MS + 10_000 });
  await expect(countdown).toHaveCount(0);
  await expect(studio.getByRole('log', { name: 'Transcript' }).locator('.message-system').last()).toContainText('Bot resumed after inactivity');
  await expect(userLog).toContainText('Our team member had to step away. The bot is answering again.');
  await expect(studio.getByRole('option', { name })).toContainText('Bot active');

  // And it answers again.
  const before = await userLog.locator('li').count();
  await user.getByRole('textbox', { name: 'Message' }).fill('hello again');
  await user.getByRole('button', { name: 'Send' }).click();
  await expect(userLog.locator('li')).toHaveCount(before + 2);
});
