import { expect, test, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';

// Issue 10, point 6: Ada reloads Studio (and later Studio restarts altogether) while she answers a conversation
// with a reply half typed. Studio comes back as she left it: the same view, the same conversation, her draft, the
// transcript where she had scrolled it, and the hand-back countdown right from the first frame, never above the
// bot's 5-minute timeout.

const TIMEOUT_MS = 5 * 60_000;
let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'], inactivityTimeoutMs: TIMEOUT_MS });
});
test.afterAll(async () => {
  await stack?.close();
});

// Short enough that the transcript scrolls.
test.use({ viewport: { width: 1100, height: 560 } });

/** The countdown texts, in seconds, the page showed; `first` is what it showed when the transcript first appeared. */
async function watchCountdown(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { countdown: { first?: string | null; seen: string[] } };
    w.countdown = { seen: [] };
    new MutationObserver(() => {
      const timer = document.querySelector('[role="timer"] strong');
      if (timer?.textContent) w.countdown.seen.push(timer.textContent);
      if (w.countdown.first === undefined && document.querySelector('[role="log"][aria-label="Transcript"] [data-seq]')) {
        w.countdown.first = timer?.textContent ?? null;
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

function seconds(text: string): number {
  const [m, s] = text.split(':').map(Number);
  return m! * 60 + s!;
}

async function countdownSeen(page: Page): Promise<{ first: number | null; most: number }> {
  const c = await page.evaluate(() => (window as unknown as { countdown: { first?: string | null; seen: string[] } }).countdown);
  return { first: c.first ? seconds(c.first) : null, most: Math.max(...c.seen.map(seconds)) };
}

function fromBottom(page: Page): Promise<number> {
  return page.getByRole('log', { name: 'Transcript' }).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
}

test('after a reload and after a restart Studio opens the same conversation, with the draft, the scroll and the countdown', async ({ browser, page }) => {
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  const userLog = user.getByRole('log', { name: 'Messages' });
  const lines = ['hello', 'how are you', 'what is your name', 'who made you', 'what can you do', 'tell me a joke', 'where are you'];
  for (const [i, line] of lines.entries()) {
    await user.getByRole('textbox', { name: 'Message' }).fill(line);
    await user.getByRole('button', { name: 'Send' }).click();
    await expect(userLog.locator('li')).toHaveCount(2 * (i + 1));
  }
  await expect.poll(() => stack.designer('Ada').studio.cache.views().length).toBe(1);
  const name = stack.designer('Ada').studio.cache.views()[0]!.clientName;

  await watchCountdown(page);
  await page.goto(stack.studioUrl('Ada'));
  await page.getByRole('option', { name }).click();
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Hello, Ada here.');
  await reply.press('Enter');
  const countdown = page.getByRole('timer', { name: 'Inactivity countdown' });
  await expect(countdown).toContainText(/The bot takes over again in [45]:\d\d/);

  // She starts another answer, scrolls up to reread the start, and reloads at once: the draft goes out on unload.
  await reply.fill('Let me check that for y');
  const transcript = page.getByRole('log', { name: 'Transcript' });
  await expect(transcript.locator('[data-seq]')).toHaveCount(2 * lines.length + 2);
  // (It opened at the "New messages" divider, at the top: down to the newest first, then back up.)
  await transcript.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect.poll(() => fromBottom(page)).toBeLessThan(2);
  await transcript.evaluate((el) => el.scrollTo({ top: 30 }));
  const scrolledUp = await fromBottom(page);
  expect(scrolledUp).toBeGreaterThan(200);
  await expect.poll(async () => ((await stack.designer('Ada').studio.dispatcher.invoke('memory.get', {})) as { result: { scroll: Record<string, number> } }).result.scroll).not.toEqual({});
  await page.reload();

  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(page.getByRole('option', { name })).toHaveAttribute('aria-selected', 'true');
  await expect(reply).toHaveValue('Let me check that for y');
  await expect.poll(() => fromBottom(page)).toBeGreaterThan(scrolledUp - 5);
  expect(await fromBottom(page)).toBeLessThan(scrolledUp + 5);
  let seen = await countdownSeen(page);
  expect(seen.first).not.toBeNull();
  expect(seen.first!).toBeGreaterThan(4 * 60);
  expect(seen.most).toBeLessThanOrEqual(TIMEOUT_MS / 1000);

  // Studio quits and starts again (its Node host and main services), then the page loads anew.
  const deadlineBefore = stack.designer('Ada').studio.state().activityDeadline!;
  expect(deadlineBefore).toBeGreaterThan(Date.now());
  await stack.restartStudio('Ada');
  await page.reload();

  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(reply).toHaveValue('Let me check that for y');
  await expect.poll(() => fromBottom(page)).toBeGreaterThan(scrolledUp - 5);
  seen = await countdownSeen(page);
  expect(seen.first).not.toBeNull();
  expect(seen.most).toBeLessThanOrEqual(TIMEOUT_MS / 1000);
  // The hand-back moment is the Platform's lease, the same as before the restart: not five minutes from now.
  expect(stack.designer('Ada').studio.state().activityDeadline).toBe(deadlineBefore);
  expect(seen.first!).toBeLessThanOrEqual(Math.ceil((deadlineBefore - Date.now()) / 1000) + 1);
  await expect(countdown).toBeVisible();

  // The view is remembered too.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Inbox' }).click();
  await expect(reply).toHaveValue('Let me check that for y');
});
