import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { wcagViolations } from '../support/accessibility.js';
import { startStack, type Stack } from './support/stack.js';

// Issue 11's story: the designer's reply reaches the end user but cannot be saved into pand_livetraining.aiml.
// Studio says so next to the reply, with why; the designer fixes it and "Try again" saves the category.
// A real Platform, a real Studio in browser mode, the real renderer in Chromium.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

const ANSWER = 'Our umbrellas come in three colours.';

const userLog = (page: Page): Locator => page.getByRole('log', { name: 'Messages' }).locator('li');

test('a reply that could not be saved to pand_livetraining.aiml is shown with why, and "Try again" saves it once fixed', async ({ browser }) => {
  const designer = await (await browser.newContext()).newPage();
  await designer.goto(stack.studioUrl('Ada'));
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill('Do you sell umbrellas?');
  await user.getByRole('button', { name: 'Send' }).click();
  await expect(userLog(user)).toHaveCount(2);

  // The workspace file cannot be written: a folder stands where it should be (this holds also for root).
  const file = stack.workspaceFile('Ada');
  mkdirSync(file, { recursive: true });

  await designer.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
  const reply = designer.getByRole('textbox', { name: 'Reply' });
  await reply.fill(ANSWER);
  await reply.press('Enter');
  await expect(userLog(user).last()).toContainText(ANSWER);

  const notice = designer.getByRole('alert').filter({ hasText: 'not saved to pand_livetraining.aiml' });
  await expect(notice).toContainText('Your reply was sent, but not saved to pand_livetraining.aiml');
  await expect(notice).toContainText(`${file} is a folder, not a file`);
  await expect(notice).not.toContainText(' at ');
  // The message and its button pass the same WCAG 2.1 AA checks as the rest of Studio (see studio-accessibility.spec.ts).
  expect(await wcagViolations(designer, ['label-content-name-mismatch'])).toEqual([]);

  // The designer moves the folder away and tries again: the category is in the file and the message is gone.
  rmSync(file, { recursive: true });
  await notice.getByRole('button', { name: 'Try again' }).click();
  await expect(notice).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toContain('<pattern>DO YOU SELL UMBRELLAS</pattern>');
  expect(readFileSync(file, 'utf8')).toContain(ANSWER);
});
