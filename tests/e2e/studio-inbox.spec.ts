import { expect, test, type Browser, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { conversationNames, newConversationName } from './support/inbox.js';

// Issue 5 stories with one designer, Ada, in browser mode against a real Platform: the new-conversation
// notification and badge, takeover and release by keyboard alone, and the inbox filters and search.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

/** An end user on the Landing Page, in a browser context of their own. */
async function endUser(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.landingUrl('starter'));
  return page;
}

async function say(user: Page, text: string) {
  await user.getByRole('textbox', { name: 'Message' }).fill(text);
  await user.getByRole('button', { name: 'Send' }).click();
}

/**
 * An end user starts a conversation by saying `text`; returns the page and the robot name the Platform gave it,
 * as Ada's Studio (the `studio` page, showing the inbox) lists it.
 */
async function newConversation(browser: Browser, studio: Page, text: string): Promise<{ user: Page; name: string }> {
  await expect(studio.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  const known = await conversationNames(studio);
  const user = await endUser(browser);
  await say(user, text);
  return { user, name: await newConversationName(studio, known) };
}

/** Studio in a context that allows notifications, with the Web Notifications API observed. */
async function studioWithNotifications(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  await context.grantPermissions(['notifications']);
  await context.addInitScript(() => {
    const Real = window.Notification;
    const shown: { title: string; body?: string; tag?: string }[] = [];
    const instances: Notification[] = [];
    class Observed extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body, tag: options?.tag });
        instances.push(this);
      }
    }
    Object.defineProperty(Observed, 'permission', { get: () => Real.permission });
    Object.assign(window, { Notification: Observed, shownNotifications: shown, notificationInstances: instances });
  });
  const page = await context.newPage();
  await page.goto(stack.studioUrl('Ada'));
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  return page;
}

test('a new conversation raises a notification and the unread badge; clicking it opens the conversation', async ({ browser }) => {
  const studio = await studioWithNotifications(browser);
  await expect(studio).toHaveTitle('Live Training Studio');

  const { name } = await newConversation(browser, studio, 'hello');

  await expect.poll(() => studio.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications)).toContainEqual(
    expect.objectContaining({ title: 'New conversation', body: `${name} started talking to starter.` }),
  );
  await expect(studio).toHaveTitle('(1) Live Training Studio');
  const row = studio.getByRole('option', { name });
  await expect(row).toContainText('1');

  await studio.evaluate(() => {
    const list = (window as unknown as { notificationInstances: Notification[] }).notificationInstances;
    list.at(-1)!.onclick?.(new Event('click'));
  });
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(studio.getByRole('heading', { level: 2, name })).toBeVisible();
  // Reading it clears the badge.
  await expect(studio).toHaveTitle('Live Training Studio');
});

test('takeover and release, by keyboard alone', async ({ browser }) => {
  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  const { user, name } = await newConversation(browser, studio, 'what is your name');
  const userLog = user.getByRole('log', { name: 'Messages' });
  await expect(userLog.locator('li')).toHaveCount(2);
  await expect(studio.getByRole('option', { name })).toBeVisible();
  // Find the conversation: search, then Enter moves to the list with the match selected.
  await studio.keyboard.press('/');
  await expect(studio.getByRole('searchbox', { name: 'Search conversations' })).toBeFocused();
  await studio.keyboard.type(name);
  await studio.keyboard.press('Enter');
  await expect(studio.getByRole('listbox', { name: 'Conversations' })).toBeFocused();
  await expect(studio.getByRole('option', { name })).toHaveAttribute('aria-selected', 'true');
  const transcript = studio.getByRole('log', { name: 'Transcript' });
  await expect(transcript).toContainText('what is your name');

  // Enter in the list goes to the reply box; Enter sends: the first reply takes over.
  await studio.keyboard.press('Enter');
  const reply = studio.getByRole('textbox', { name: 'Reply' });
  await expect(reply).toBeFocused();
  await studio.keyboard.type('I am Ada from the team.');
  await studio.keyboard.press('Shift+Enter');
  await studio.keyboard.type('How can I help?');
  await studio.keyboard.press('Enter');
  await expect(reply).toHaveValue('');

  // The user sees the paused notice, then the reply, in that order.
  await expect(userLog.locator('li')).toHaveCount(4);
  await expect(userLog.locator('li').nth(2)).toContainText('A member of our team has joined the conversation');
  await expect(userLog.locator('li').nth(3)).toContainText('I am Ada from the team.');

  const toggle = studio.getByRole('switch', { name: 'Bot active' });
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(studio.getByRole('option', { name })).toContainText('Paused by you');
  await expect(studio.getByRole('timer', { name: 'Inactivity countdown' })).toContainText(/The bot takes over again in 1[45]:\d\d/);
  await expect(transcript.locator('.message-human .message-author')).toHaveText('You');

  // While paused the user's message reaches Studio and gets no bot reply.
  await say(user, 'are you a real person?');
  await expect(transcript).toContainText('are you a real person?');
  await expect(userLog.locator('li')).toHaveCount(5);
  await expect(userLog.locator('li').nth(4)).toContainText('are you a real person?');
  // No bot reply to it: the next thing the user sees, once the bot is back on, is the reactivated notice (the log is
  // in the Platform's order, so a reply stored while paused would come before it).

  // Escape back to the list, B switches the bot on again.
  await reply.focus();
  await studio.keyboard.press('Escape');
  await expect(studio.getByRole('listbox', { name: 'Conversations' })).toBeFocused();
  await studio.keyboard.press('b');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(userLog.locator('li').nth(5)).toContainText('Our team member has left the conversation. The bot is answering again.');
  await expect(userLog.locator('li')).toHaveCount(6);
  await expect(studio.getByRole('timer', { name: 'Inactivity countdown' })).toHaveCount(0);
  await expect(transcript.locator('.message-system').last()).toContainText('Bot switched back on');

  await say(user, 'hello');
  await expect(userLog.locator('li')).toHaveCount(8);
  await expect(transcript.locator('.message-bot').last()).toBeVisible();
});

test('filters (All, Live now, Paused, Needs help) and search find the right conversations', async ({ browser }) => {
  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));

  const { name: helpedName } = await newConversation(browser, studio, 'hi there');
  const { user: puzzled, name: puzzledName } = await newConversation(browser, studio, 'xyzzy plugh frobnicate');
  // The starter bot has no answer for that: its default category replies, which marks the conversation.
  await expect(puzzled.getByRole('log', { name: 'Messages' }).locator('li')).toHaveCount(2);
  const { user: gone, name: goneName } = await newConversation(browser, studio, 'how are you');
  await gone.context().close();

  // Ada takes over the first one.
  await studio.getByRole('option', { name: helpedName }).click();
  await studio.getByRole('textbox', { name: 'Reply' }).fill('Hello from Ada.');
  await studio.getByRole('button', { name: 'Send' }).click();
  await expect(studio.getByRole('option', { name: helpedName })).toContainText('Paused by you');

  const list = studio.getByRole('listbox', { name: 'Conversations' });
  const shown = () => list.getByRole('option');
  const filter = (label: string) => studio.getByRole('group', { name: 'Filter conversations' }).getByRole('button', { name: new RegExp(`^${label}`) });

  await filter('Needs help').click();
  await expect(filter('Needs help')).toHaveAttribute('aria-pressed', 'true');
  await expect(shown()).toHaveCount(1);
  await expect(list.getByRole('option', { name: puzzledName })).toContainText('Needs help');

  await filter('Paused').click();
  await expect(shown()).toHaveCount(1);
  await expect(list.getByRole('option', { name: helpedName })).toBeVisible();

  await filter('Live now').click();
  await expect(list.getByRole('option', { name: goneName })).toHaveCount(0);
  await expect(list.getByRole('option', { name: helpedName })).toBeVisible();
  await expect(list.getByRole('option', { name: puzzledName })).toBeVisible();

  await filter('All').click();
  await expect(list.getByRole('option', { name: goneName })).toBeVisible();
  await studio.getByRole('searchbox', { name: 'Search conversations' }).fill(puzzledName);
  await expect(shown()).toHaveCount(1);
  await expect(list.getByRole('option', { name: puzzledName })).toBeVisible();
  await studio.getByRole('searchbox', { name: 'Search conversations' }).fill('frobnicate');
  // Words said earlier in a conversation are not in its row: the Platform's full-text search finds them as you type.
  await expect(shown()).toHaveCount(1);
  await expect(list.getByRole('option', { name: puzzledName })).toBeVisible();
  await studio.getByRole('searchbox', { name: 'Search conversations' }).fill('no such robot anywhere');
  await expect(shown()).toHaveCount(0);
  await expect(list).toContainText('No conversations match');
});
