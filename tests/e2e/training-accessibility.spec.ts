import { expect, test, type Page } from '@playwright/test';
import { expectEveryControlNamed, wcagViolations } from '../support/accessibility.js';
import { startStack, type Stack } from './support/stack.js';

// The Training view passes axe-core's WCAG 2.1 AA rules in light and dark, with a learned category open (fields,
// suggestions), a preview shown, and the publishing form, and every visible control has an accessible name.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
});
test.afterAll(async () => {
  await stack?.close();
});

// As in the inbox: a learned category's row is named by its pattern (the first thing it shows); its answer,
// state and source are its description (aria-describedby). axe's experimental label-in-name check would want
// every visible word in the name.
const violations = (page: Page) => wcagViolations(page, ['label-content-name-mismatch']);

const everyControlIsNamed = (page: Page) =>
  expectEveryControlNamed(page, 'button, input, textarea, select, summary, a[href], [role="option"], [role="listbox"], progress', 10);

test.beforeAll(async ({ browser }) => {
  // One live answer, so the workspace has a category to review.
  const user = await browser.newPage();
  await user.goto(stack.landingUrl('starter'));
  await user.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Mars?');
  await user.getByRole('button', { name: 'Send' }).click();
  await expect(user.getByRole('log', { name: 'Messages' }).locator('li')).toHaveCount(2);
  const designer = await browser.newPage();
  await designer.goto(stack.studioUrl('Ada'));
  await designer.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
  await designer.getByRole('textbox', { name: 'Reply' }).fill('Every Tuesday.');
  await designer.getByRole('textbox', { name: 'Reply' }).press('Enter');
  await expect.poll(() => stack.designer('Ada').studio.dispatcher.invoke('training.workspace', { bot: 'starter' }).then((r) => (r.ok ? (r.result as { categories: unknown[] }).categories.length : 0))).toBe(1);
  await designer.close();
  await user.close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the Training view is accessible (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1400, height: 900 } });
    const studio = await context.newPage();
    await studio.goto(stack.studioUrl('Ada'));
    await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
    await studio.getByRole('listbox', { name: 'Learned categories' }).getByRole('option').first().click();
    await expect(studio.getByRole('button', { name: 'Use pattern ^ SHIP TO MARS ^', exact: true })).toBeVisible();
    await studio.getByRole('textbox', { name: 'Template' }).fill('Every <b>Tuesday');
    await expect(studio.getByText('Error (line 1')).toBeVisible();
    await studio.getByLabel('Test input').fill('Can you ship to Mars?');
    await studio.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect(studio.getByRole('status', { name: 'Preview answer' })).toBeVisible();
    await expect(studio.getByLabel('App ID')).toBeVisible();
    expect(await violations(studio)).toEqual([]);
    await everyControlIsNamed(studio);
    await context.close();
  });
}
