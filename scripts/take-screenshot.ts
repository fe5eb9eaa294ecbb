// Renders the README screenshot (docs/screenshot.png): a real Studio in Chromium, a real Platform, and an end user
// whose conversation the designer has just taken over. Run after `npm run build`: `npx tsx scripts/take-screenshot.ts`.
import { chromium } from '@playwright/test';
import { resolve } from 'node:path';
import { chromiumLaunchOptions } from '../tests/e2e/support/chromium.js';
import { startStack } from '../tests/e2e/support/stack.js';

const out = resolve(import.meta.dirname, '../docs/screenshot.png');
const stack = await startStack({ designers: ['Ada'] });
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const chat = async (lines: string[]) => {
    const page = await browser.newPage();
    await page.goto(stack.landingUrl('starter'));
    for (const line of lines) {
      const before = await page.getByRole('log', { name: 'Messages' }).locator('li').count();
      await page.getByRole('textbox', { name: 'Message' }).fill(line);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('log', { name: 'Messages' }).locator('li').nth(before + 1).waitFor();
    }
    return page;
  };
  await chat(['Hi there', 'What can you do?']);
  await chat(['Hello', 'Do you ship to Canada?']);
  const user = await chat(['Good morning', 'What are your opening hours?']);

  const studio = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await studio.goto(stack.studioUrl('Ada'));
  const list = studio.getByRole('listbox', { name: 'Conversations' });
  await list.getByRole('option').nth(2).waitFor();
  await list.getByRole('option').first().click();
  const reply = studio.getByRole('textbox', { name: 'Reply' });
  await reply.fill('We are open from 9 to 5, Monday to Friday.');
  await reply.press('Enter');
  await user.getByRole('log', { name: 'Messages' }).locator('li').nth(5).waitFor();
  await studio.getByRole('log', { name: 'Transcript' }).getByText('We are open from 9 to 5').waitFor();
  await user.getByRole('textbox', { name: 'Message' }).fill('Thanks! And on Saturdays?');
  await user.getByRole('button', { name: 'Send' }).click();
  await studio.getByRole('log', { name: 'Transcript' }).getByText('And on Saturdays?').waitFor();
  await reply.fill('On Saturdays we open from 10 to 2.');
  await studio.waitForTimeout(300);
  await studio.screenshot({ path: out });
  console.log(`Wrote ${out}`);
} finally {
  await browser.close();
  await stack.close();
}
