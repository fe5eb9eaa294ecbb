import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack;
let shop: { url: string; origin: string; server: Server };
test.beforeAll(async () => {
  stack = await startStack({ designers: ['Ada'] });
  const html = `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Our shop</h1>
<script>window.liveTrainingWidget = { bot: "starter", title: "Ask us" };</script>
<script src="${stack.platformUrl}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  shop = { url, origin: new URL(url).origin, server };
});
test.afterAll(async () => {
  shop?.server.close();
  await stack?.close();
});

test('a designer restricts the widget to listed sites, sees which site was refused, and allows it in one click', async ({ browser }) => {
  const studio = await browser.newPage();
  await studio.goto(stack.studioUrl('Ada'));
  await studio.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  const sites = studio.getByRole('form', { name: 'Sites that may show the Chat Widget of starter' });
  await expect(sites.getByRole('radio', { name: 'Any site' })).toBeChecked();
  await sites.getByLabel('Add a site').fill('https://elsewhere.example');
  await sites.getByRole('button', { name: 'Add site' }).click();
  await sites.getByRole('button', { name: 'Save sites' }).click();
  await expect(sites.getByRole('status')).toHaveText('Saved.');

  // A visitor of a site that is not listed: the widget says why it cannot chat.
  const visitor = await browser.newPage();
  await visitor.goto(shop.url);
  await visitor.getByRole('button', { name: /Open chat/ }).click();
  await expect(visitor.getByText(`the bot’s owner has not allowed ${shop.origin} to show it`)).toBeVisible();

  // Studio shows the refused site beside the list; one click allows it.
  const refused = sites.getByRole('region', { name: 'Sites refused recently' });
  await expect(refused).toContainText(shop.origin);
  await refused.getByRole('button', { name: `Allow ${shop.origin}` }).click();
  await expect(sites.getByRole('list', { name: 'Listed sites' })).toContainText(shop.origin);
  await expect(refused).toHaveCount(0);

  // The open page finds out by itself and chats.
  await expect(visitor.getByRole('textbox', { name: 'Message' })).toBeEnabled({ timeout: 20_000 });
  await visitor.getByRole('textbox', { name: 'Message' }).fill('Hello');
  await visitor.getByRole('button', { name: 'Send' }).click();
  await expect(visitor.locator('.lt-from-bot[data-seq="2"]')).toBeVisible();
});
