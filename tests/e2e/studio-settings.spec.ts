import { expect, test, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { conversationNames, shownConversations } from './support/inbox.js';

// Issue 5 settings: the bot's Live Training messages and timeout go to the Platform through Studio and change
// what end users see; Studio's own notification choices stick and are obeyed.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

async function openSettings(studio: Page) {
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await expect(studio.getByRole('heading', { name: 'Bots' })).toBeVisible();
}

test('the paused message and the inactivity timeout set in Studio are what the end user and the countdown get', async ({ browser }) => {
  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  await openSettings(studio);
  const bot = studio.getByRole('form', { name: 'Settings of starter' });
  await bot.getByLabel('Paused message').fill('Hold on, Ada from the team is here.');
  await bot.getByLabel('Inactivity timeout (minutes)').fill('3');
  await bot.getByRole('button', { name: 'Save' }).click();
  await expect(bot.getByRole('status')).toHaveText('Saved.');

  // An empty notice is refused with a reason, and nothing is sent.
  await bot.getByLabel('Reactivated message').fill('');
  await bot.getByRole('button', { name: 'Save' }).click();
  await expect(bot.getByRole('alert')).toContainText('Reactivated message: cannot be empty.');
  await bot.getByRole('button', { name: 'Undo changes' }).click();

  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill('hello');
  await user.getByRole('button', { name: 'Send' }).click();
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Inbox' }).click();
  const [name] = await shownConversations(studio, 1);

  await studio.getByRole('option', { name }).click();
  await studio.getByRole('textbox', { name: 'Reply' }).fill('Hello!');
  await studio.getByRole('textbox', { name: 'Reply' }).press('Enter');
  await expect(user.getByRole('log', { name: 'Messages' })).toContainText('Hold on, Ada from the team is here.');
  await expect(studio.getByRole('timer', { name: 'Inactivity countdown' })).toContainText(/in (3:00|2:5\d)/);

  // Settings opened again show what the Platform holds.
  await studio.reload();
  await openSettings(studio);
  await expect(studio.getByRole('form', { name: 'Settings of starter' }).getByLabel('Paused message')).toHaveValue('Hold on, Ada from the team is here.');
});

test('switching off new-conversation notifications sticks and silences them', async ({ browser }) => {
  const context = await browser.newContext();
  await context.grantPermissions(['notifications']);
  await context.addInitScript(() => {
    const Real = window.Notification;
    const shown: string[] = [];
    class Observed extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(title);
      }
    }
    Object.defineProperty(Observed, 'permission', { get: () => Real.permission });
    Object.assign(window, { Notification: Observed, shownNotifications: shown });
  });
  const studio = await context.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  await openSettings(studio);
  const box = studio.getByRole('checkbox', { name: /New conversations/ });
  await expect(box).toBeChecked();
  await box.uncheck();
  await studio.reload();
  await openSettings(studio);
  await expect(studio.getByRole('checkbox', { name: /New conversations/ })).not.toBeChecked();
  await expect(studio.getByText('Desktop notifications are allowed in this browser.')).toBeVisible();

  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Inbox' }).click();
  // The listbox appears once the conversations are loaded (a "Loading conversations…" line stands in before).
  await expect(studio.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  const before = (await conversationNames(studio)).length;
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill('anyone there?');
  await user.getByRole('button', { name: 'Send' }).click();
  await expect(studio.getByRole('option')).toHaveCount(before + 1);
  expect(await studio.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications)).toEqual([]);

  // Back on: the next one notifies.
  await openSettings(studio);
  await studio.getByRole('checkbox', { name: /New conversations/ }).check();
  const another = await (await browser.newContext()).newPage();
  await another.goto(stack.landingUrl('starter'));
  await another.getByRole('textbox', { name: 'Message' }).fill('hello?');
  await another.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => studio.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications)).toEqual(['New conversation']);
});
