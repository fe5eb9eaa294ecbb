import { expect, test, type Locator, type Page } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';

// Issue 10, point 7: the "Needs help" chip wrapped and the Training list's labels were cut. At every window width
// Studio supports (Electron's minimum is 720 px; browser mode goes down to the 640 px of the narrow-window story)
// each chip stays on one line and no label of a learned category is clipped.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

const WIDTHS = [640, 720, 761, 900, 1101];
const SHOTS = process.env.STUDIO_SHOTS_DIR;

/** Each element is one line of text high. */
async function expectOneLine(items: Locator) {
  const heights = await items.evaluateAll((els) =>
    els.map((el) => ({ text: el.textContent, lines: el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight || '20') })),
  );
  expect(heights.length).toBeGreaterThan(0);
  for (const h of heights) expect(h.lines, `“${h.text}” is on one line`).toBeLessThan(1.9);
}

/** No text is cut off: each element shows all it holds. */
async function expectNotClipped(items: Locator) {
  const cut = await items.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
  expect(cut).toEqual([]);
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

test('chips stay on one line and learned categories show their labels whole, at every supported width', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1101, height: 600 } });
  await page.goto(stack.studioUrl('Ada'));
  for (const q of ['Do you ship parcels to the far side of Mars and the moons of Jupiter?', 'xyzzy plugh']) {
    const user = await browser.newPage();
    await user.goto(stack.landingUrl('starter'));
    await user.getByRole('textbox', { name: 'Message' }).fill(q);
    await user.getByRole('button', { name: 'Send' }).click();
    await expect(user.getByRole('log', { name: 'Messages' }).locator('li')).toHaveCount(2);
  }
  const conversations = page.getByRole('listbox', { name: 'Conversations' });
  await expect(conversations.getByRole('option')).toHaveCount(2);
  await conversations.getByRole('option').nth(1).click();
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Yes! We ship to Mars every Tuesday, and to the Jovian moons on the first of the month.');
  await reply.press('Enter');
  await expect(page.getByRole('switch', { name: 'Bot active' })).toHaveAttribute('aria-checked', 'false');
  await page.keyboard.press('Escape');
  // Counts grow in a busy inbox: the widest chips Studio will show.
  await page.locator('.filter-count').evaluateAll((els) => els.forEach((el) => (el.textContent = '1234')));

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 600 });
    if (await conversations.isHidden()) await page.getByRole('button', { name: 'Back to conversations' }).click();
    await expect(conversations.getByRole('option')).toHaveCount(2);
    await expectOneLine(page.locator('.inbox .filter'));
    await expectOneLine(conversations.locator('.help-badge, .state-badge'));
    await shot(page, `inbox-${width}`);
  }

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
  const learned = page.getByRole('listbox', { name: 'Learned categories' });
  await expect(learned.getByRole('option')).toHaveCount(1);
  // A long client name and conflict findings make the longest source line a category shows.
  const meta = learned.locator('.row-meta');
  await meta.evaluate((el) => (el.firstChild!.textContent = 'Pneumatic Hydraulic Byte · 12/6/2026, 6:48:27 AM · 2 conflicts'));
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 600 });
    await expectOneLine(page.locator('.training .filter'));
    await expectOneLine(learned.locator('.state-tag'));
    await expectNotClipped(learned.locator('.row-pattern, .row-meta, .state-tag'));
    await shot(page, `training-${width}`);
  }
});
