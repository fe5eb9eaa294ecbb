import { expect, test } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { shownConversations } from './support/inbox.js';

// Issue 5: the Platform restarts in the middle of a conversation. Studio says it lost the connection, reconnects
// on its own, and shows every message exactly once, in order.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

test('the Platform restarts mid-conversation: Studio reconnects and shows every message once, in order', async ({ browser }) => {
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  const userLog = user.getByRole('log', { name: 'Messages' });
  const say = async (text: string, expected: number) => {
    await user.getByRole('textbox', { name: 'Message' }).fill(text);
    await user.getByRole('button', { name: 'Send' }).click();
    await expect(userLog.locator('li')).toHaveCount(expected);
  };
  await say('hello', 2);
  await say('how are you', 4);

  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  const [name] = await shownConversations(studio, 1);
  await studio.getByRole('option', { name }).click();
  const transcript = studio.getByRole('log', { name: 'Transcript' });
  await expect(transcript.locator('[data-seq]')).toHaveCount(4);

  await stack.stopPlatform();
  await expect(studio.getByRole('alert')).toContainText(/Lost the connection to the Platform at .*Reconnecting/);

  await stack.startPlatform();
  await expect(studio.getByRole('alert')).toHaveCount(0, { timeout: 15_000 });

  // The user's page reconnects on its own too; the conversation goes on.
  await say('what is your name', 6);
  await say('who are you', 8);

  await expect(transcript.locator('[data-seq]')).toHaveCount(8);
  const seqs = await transcript.locator('[data-seq]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
  expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  const studioTexts = await transcript.locator('.message-text').allTextContents();
  const userTexts = (await userLog.locator('li').allInnerTexts()).map((t) => t.trim());
  expect(studioTexts).toHaveLength(userTexts.length);
  studioTexts.forEach((text, i) => expect(userTexts[i]).toContain(text));
  // The row too: one row, latest message.
  await expect(studio.getByRole('option')).toHaveCount(1);
  await expect(studio.getByRole('option', { name })).toContainText(studioTexts.at(-1)!);
});
