import { expect, test, type Browser, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { shownConversations } from './support/inbox.js';

// Issue 5: two designers on one Platform. Ada takes over; Ben sees "Paused by Ada", and Studio explains why
// he cannot reply or switch the bot, until Ada hands the conversation back.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada', 'Ben'] });
});
test.afterAll(async () => {
  await stack?.close();
});

async function openStudio(browser: Browser, designer: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(stack.studioUrl(designer));
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  return page;
}

test('a second designer sees "Paused by NAME" and cannot reply until the holder releases it', async ({ browser }) => {
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill('can someone help me?');
  await user.getByRole('button', { name: 'Send' }).click();

  const ada = await openStudio(browser, 'Ada');
  const [name] = await shownConversations(ada, 1);
  const ben = await openStudio(browser, 'Ben');
  await ben.getByRole('option', { name }).click();
  await expect(ben.getByRole('textbox', { name: 'Reply' })).toBeEnabled();

  await ada.getByRole('option', { name }).click();
  await ada.getByRole('textbox', { name: 'Reply' }).fill('Ada here, I will help you.');
  await ada.getByRole('textbox', { name: 'Reply' }).press('Enter');
  await expect(ada.getByRole('option', { name })).toContainText('Paused by you');

  // Ben's Studio follows: the row, the header, the disabled reply box with the reason, the disabled switch.
  await expect(ben.getByRole('option', { name })).toContainText('Paused by Ada');
  await expect(ben.getByRole('status').filter({ hasText: 'Paused by Ada' })).toBeVisible();
  const benReply = ben.getByRole('textbox', { name: 'Reply' });
  await expect(benReply).toBeDisabled();
  await expect(benReply).toHaveAccessibleDescription(/^Ada is answering this conversation\. You can reply once they switch the bot back on or hand it back\./);
  await expect(ben.getByRole('switch', { name: 'Bot active' })).toBeDisabled();
  await expect(ben.getByRole('log', { name: 'Transcript' }).locator('.message-human')).toContainText('Ada');
  await expect(ben.getByRole('timer', { name: 'Inactivity countdown' })).toHaveCount(0);

  // Ada hands back; Ben may answer now (and his first reply takes over).
  await ada.getByRole('switch', { name: 'Bot active' }).click();
  await expect(ben.getByRole('option', { name })).toContainText('Bot active');
  await expect(benReply).toBeEnabled();
  await benReply.fill('Ben here now.');
  await benReply.press('Enter');
  await expect(ada.getByRole('option', { name })).toContainText('Paused by Ben');
  await expect(ada.getByRole('textbox', { name: 'Reply' })).toBeDisabled();
  await expect(user.getByRole('log', { name: 'Messages' })).toContainText('Ben here now.');
});
