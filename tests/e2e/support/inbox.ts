import { expect, type Page } from '@playwright/test';

// What a designer sees in Studio's inbox, read from the page (never from Studio's own cache): each conversation is
// an option of the "Conversations" listbox, named by its robot name.

const options = (studio: Page) => studio.getByRole('listbox', { name: 'Conversations' }).getByRole('option');

/** The robot names the inbox shows, top to bottom, once it has loaded (the listbox replaces "Loading conversations…"). */
export async function conversationNames(studio: Page): Promise<string[]> {
  await expect(studio.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  return (await options(studio).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).filter(Boolean);
}

/** Waits until the inbox shows exactly `count` conversations, and returns their names. */
export async function shownConversations(studio: Page, count: number): Promise<string[]> {
  await expect(options(studio)).toHaveCount(count);
  return conversationNames(studio);
}

/** Waits until the inbox shows a conversation not among `known`, and returns its name. */
export async function newConversationName(studio: Page, known: readonly string[]): Promise<string> {
  let name: string | undefined;
  await expect
    .poll(async () => {
      name = (await conversationNames(studio)).find((n) => !known.includes(n));
      return name;
    })
    .toBeTruthy();
  return name!;
}
