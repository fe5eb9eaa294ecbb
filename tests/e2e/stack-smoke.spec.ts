import { expect, test } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';

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

  await expect.poll(() => stack.designer('Ada').studio.cache.views().length).toBe(1);
  const clientName = stack.designer('Ada').studio.cache.views()[0]!.clientName;
  await expect(list.getByRole('option').filter({ hasText: clientName })).toHaveCount(1);

  await stack.restartPlatform();
  await expect.poll(() => stack.designer('Ada').studio.state().link.status, { timeout: 10_000 }).toBe('online');
  await user.getByRole('textbox', { name: 'Message' }).fill('Still there?');
  await user.getByRole('button', { name: 'Send' }).click();
  // The user's message and the bot's answer after the restart reach Studio, and the row shows the latest one.
  await expect.poll(() => stack.designer('Ada').studio.cache.views()[0]!.lastSeq, { timeout: 10_000 }).toBe(4);
  const latest = stack.designer('Ada').studio.cache.views()[0]!.lastMessage!.text;
  await expect(list.getByRole('option', { name: clientName })).toContainText(latest);
});
