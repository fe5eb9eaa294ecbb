import { expect, test } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';
import { shownConversations } from './support/inbox.js';

// Issue 5: a long conversation opens on its latest messages; scrolling up loads the earlier ones above without
// moving what the designer is reading; each bot reply tells what matched.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

test('a long transcript loads the latest part first and the rest on scroll-up, keeping the reading position', async ({ browser }) => {
  // 30 messages paced under the Platform's rate limit take 20 s on their own: more than half the default budget on
  // a busy machine.
  test.setTimeout(120_000);
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  const userLog = user.getByRole('log', { name: 'Messages' });
  for (let i = 1; i <= 30; i++) {
    // The Platform lets one chat send a burst of 10, then 2 messages a second: keep under it.
    if (i > 8) await user.waitForTimeout(550);
    await user.getByRole('textbox', { name: 'Message' }).fill(i % 5 === 0 ? `zork ${i}` : `hello ${i}`);
    await user.getByRole('button', { name: 'Send' }).click();
    await expect(userLog.locator('li')).toHaveCount(i * 2);
  }

  const studio = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await studio.goto(stack.studioUrl('Ada'));
  const [name] = await shownConversations(studio, 1);
  // A first visit reads everything (the "New messages" divider would open the transcript at the first unread).
  await studio.getByRole('option', { name }).click();
  await expect(studio.getByRole('option', { name }).getByLabel(/ unread$/)).toHaveCount(0);
  await expect(studio).toHaveTitle('Live Training Studio');
  await studio.reload();
  await studio.getByRole('option', { name }).click();
  const transcript = studio.getByRole('log', { name: 'Transcript' });
  const seqs = () => transcript.locator('[data-seq]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));

  // The latest page: the last 50 of 60 messages, scrolled to the end.
  await expect(transcript.locator('[data-seq]')).toHaveCount(50);
  expect((await seqs())[0]).toBe(11);
  await expect(transcript.locator('[data-seq="60"]')).toBeInViewport();

  // "What matched" on a bot reply: the pattern and the file.
  const lastBot = transcript.locator('.message-bot').last();
  await lastBot.getByText('What matched').click();
  await expect(lastBot.locator('.match-details')).toContainText('Pattern');
  await expect(lastBot.locator('.match-details')).toContainText('.aiml');

  // Scroll to the top: the earlier messages load above, and the message that was at the top stays in view.
  const anchor = transcript.locator('[data-seq="11"]');
  await transcript.evaluate((el) => (el.scrollTop = 0));
  await expect(transcript.locator('[data-seq]')).toHaveCount(60);
  expect(await seqs()).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  await expect(anchor).toBeInViewport();
  await expect(transcript.getByText('Start of the conversation')).toHaveCount(1);
});
