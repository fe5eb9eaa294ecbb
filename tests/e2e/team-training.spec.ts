import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { newConversationName, conversationNames } from './support/inbox.js';
import { startStack, type Stack } from './support/stack.js';

// Issue 13: two designers train one bot on one Platform. Each answers a user; each sees the other's category in
// Training at once; both edit the same category, and the second gets both versions side by side and merges them;
// a new end user gets both trained answers. Two Studios (each its own host, settings and workspace), one Platform.

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada', 'Bea'] });
});
test.afterAll(async () => {
  await stack?.close();
});

const HOURS = 'We are open nine to five.';
const MARS = 'Yes, every Tuesday.';

const userLog = (page: Page): Locator => page.getByRole('log', { name: 'Messages' }).locator('li');

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

async function openStudio(browser: Browser, designer: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(stack.studioUrl(designer));
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  return page;
}

/** An end user asks something the bot cannot answer yet; the designer answers it live. */
async function answerLive(browser: Browser, studio: Page, question: string, answer: string): Promise<void> {
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Inbox/ }).click();
  const known = await conversationNames(studio);
  const user = await (await browser.newContext()).newPage();
  await user.goto(stack.landingUrl('starter'));
  await say(user, question);
  await expect(userLog(user)).toHaveCount(2);
  await expect(userLog(user).nth(1)).not.toContainText(answer);
  const name = await newConversationName(studio, known);
  await studio.getByRole('option', { name }).click();
  const reply = studio.getByRole('textbox', { name: 'Reply' });
  await reply.fill(answer);
  await reply.press('Enter');
  await expect(userLog(user).last()).toContainText(answer);
}

async function openTraining(studio: Page): Promise<Locator> {
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
  return studio.getByRole('listbox', { name: 'Learned categories' });
}

test("two designers capture, see each other's categories, resolve a conflicting edit, and a new user gets both answers", async ({ browser }) => {
  const ada = await openStudio(browser, 'Ada');
  const bea = await openStudio(browser, 'Bea');

  // Both capture: each answers one user live; the Platform learns both.
  await answerLive(browser, ada, 'What are your opening hours?', HOURS);
  await answerLive(browser, bea, 'Do you ship to Mars?', MARS);

  // Both see both categories in Training: their own and the other designer's.
  const adaLearned = await openTraining(ada);
  const beaLearned = await openTraining(bea);
  for (const learned of [adaLearned, beaLearned]) {
    await expect(learned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' })).toContainText(HOURS);
    await expect(learned.getByRole('option', { name: 'DO YOU SHIP TO MARS' })).toContainText(MARS);
  }

  // A capture made while Training is open appears in the other designer's list without a click.
  await answerLive(browser, ada, 'Do you sell gift cards?', 'Yes, at the till.');
  await expect(beaLearned.getByRole('option', { name: 'DO YOU SELL GIFT CARDS' })).toBeVisible();
  await openTraining(ada);

  // Both open the hours category; Bea starts typing, Ada saves first.
  await adaLearned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' }).click();
  await beaLearned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' }).click();
  const adaDetails = ada.getByRole('region', { name: 'Category details' });
  const beaDetails = bea.getByRole('region', { name: 'Category details' });
  await beaDetails.getByRole('textbox', { name: 'Template' }).fill('We are open nine to six.');
  await adaDetails.getByRole('textbox', { name: 'Template' }).fill('We are open nine to five, Saturdays too.');
  await adaDetails.getByRole('button', { name: 'Save changes' }).click();
  await expect(beaLearned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' })).toContainText('Saturdays too');

  // Bea is told while she edits, and her save does not overwrite Ada's: a dialog shows both versions.
  await expect(beaDetails.getByText('Ada changed this category while you were editing it')).toBeVisible();
  await beaDetails.getByRole('button', { name: 'Save changes' }).click();
  const dialog = bea.getByRole('dialog', { name: 'Conflict: Edit of WHAT ARE YOUR OPENING HOURS' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('region', { name: 'Theirs, on the Platform' })).toContainText('We are open nine to five, Saturdays too.');
  await expect(dialog.getByRole('region', { name: 'Theirs, on the Platform' })).toContainText('Ada');
  await expect(dialog.getByRole('region', { name: 'Yours' })).toContainText('We are open nine to six.');

  // She merges both.
  await dialog.getByRole('button', { name: 'Edit a merge' }).click();
  const merge = dialog.getByRole('form', { name: 'Merge' });
  await merge.getByRole('textbox', { name: 'Template' }).fill('We are open nine to six, Saturdays too.');
  await merge.getByRole('button', { name: 'Save merge' }).click();
  await expect(dialog).toBeHidden();
  for (const learned of [adaLearned, beaLearned]) {
    await expect(learned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' })).toContainText('We are open nine to six, Saturdays too.');
  }

  // The history shows who changed it, before and after.
  const history = beaDetails.getByRole('region', { name: 'History' });
  await expect(history).toContainText('Bea edited it');
  await expect(history).toContainText('Ada edited it');

  // A new end user asks both questions with the same words and gets both trained answers, with no publish.
  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto(stack.landingUrl('starter'));
  await say(newcomer, 'What are your opening hours?');
  await expect(userLog(newcomer)).toHaveCount(2);
  await expect(userLog(newcomer).nth(1)).toContainText('We are open nine to six, Saturdays too.');
  await say(newcomer, 'Do you ship to Mars?');
  await expect(userLog(newcomer)).toHaveCount(4);
  await expect(userLog(newcomer).nth(3)).toContainText(MARS);

  // Bea undoes her own last change with Ctrl+Z (focus on the list, not in a text field): the merge goes, Ada's edit is back.
  await beaLearned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' }).focus();
  await bea.keyboard.press('Control+z');
  await expect(bea.getByText('Undone: your edit of WHAT ARE YOUR OPENING HOURS.')).toBeVisible();
  for (const learned of [adaLearned, beaLearned]) {
    await expect(learned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' })).toContainText('We are open nine to five, Saturdays too.');
  }
  // Ada's "Undo last change" would undo her edit, but Bea changed the category since: a conflict, nothing overwritten.
  await ada.getByRole('button', { name: 'Undo last change' }).click();
  await expect(ada.getByRole('dialog', { name: 'Conflict: Undo of your edit of WHAT ARE YOUR OPENING HOURS' })).toBeVisible();
  await expect(beaLearned.getByRole('option', { name: 'WHAT ARE YOUR OPENING HOURS' })).toContainText('We are open nine to five, Saturdays too.');
});
