import { expect, test } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';

// Issue 14: a bot's AIML engine limits are Live Training settings on the Platform, edited in Studio's bot settings.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

test("the bot's engine limits show in Studio's bot settings, an impossible one is explained, a saved one stays", async ({ browser }) => {
  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  const form = studio.getByRole('form', { name: 'Settings of starter' });
  const limits = form.getByRole('group', { name: 'AIML engine limits' });
  await expect(limits.getByLabel('Srai depth')).toHaveValue('64');
  await expect(limits.getByLabel('Learned categories per client')).toHaveValue('1000');

  await limits.getByLabel('Time per reply (ms)').fill('5');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('Time per reply (ms): a whole number from 100 to 30,000.');
  await form.getByRole('button', { name: 'Undo changes' }).click();

  await limits.getByLabel('Learned categories per client').fill('20000');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');

  await studio.reload();
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await expect(studio.getByRole('form', { name: 'Settings of starter' }).getByLabel('Learned categories per client')).toHaveValue('20000');
});
