import { expect, test } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { shownConversations } from './support/inbox.js';

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

test('the stack serves a Landing Page and a Studio connected to the same Platform, and survives a Platform restart', async ({ browser }) => {
  const designer = await browser.newPage();
  await designer.goto(stack.studioUrl('Ada'));
  const list = designer.getByRole('listbox', { name: 'Conversations' });
  await expect(list).toBeVisible();

  const user = await browser.newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill('Hello');
  await user.getByRole('button', { name: 'Send' }).click();

  const [clientName] = await shownConversations(designer, 1);

  await stack.restartPlatform();
  await expect.poll(() => stack.designer('Ada').studio.state().link.status, { timeout: 10_000 }).toBe('online');
  await user.getByRole('textbox', { name: 'Message' }).fill('Still there?');
  await user.getByRole('button', { name: 'Send' }).click();
  // The user's message and the bot's answer after the restart reach Studio, and the row shows the latest one.
  const userLog = user.getByRole('log', { name: 'Messages' });
  await expect(userLog.locator('li')).toHaveCount(4, { timeout: 10_000 });
  // The user's page shows the bot's name above its words: the row previews the words.
  const latest = (await userLog.locator('li').last().innerText()).trim().split('\n').at(-1)!.trim();
  await expect(list.getByRole('option', { name: clientName })).toContainText(latest, { timeout: 10_000 });
});
