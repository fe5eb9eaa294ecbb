import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from '@playwright/test';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../e2e/support/chromium.js';
import { wcagViolations } from '../../support/accessibility.js';
import { ManualClock } from '../../support/manual-clock.js';
import { DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;
const root = resolve(import.meta.dirname, '../../..');

/** Posts the report form as a browser would (no redirect following, so the 303 is seen). */
function postReport(t: TestPlatform, fields: Record<string, string>, bot = 'starter', contentType = 'application/x-www-form-urlencoded') {
  return fetch(`${t.url}/chat/${bot}/report`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': contentType }, body: new URLSearchParams(fields).toString() });
}

let t: TestPlatform | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('"Report content" on the Landing Page', () => {
  it('stores the report, tells connected designers at once, lists it for them and for the operator', async () => {
    t = await startTestPlatform();
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const sent = await postReport(t, { reason: 'copyright', details: 'The picture is <mine> & was taken without asking.' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/chat/starter/report?sent=1');
    const thanks = await fetch(`${t.url}${sent.headers.get('location')}`);
    expect(await thanks.text()).toContain('was sent to the people who run this Platform');

    const event = await designer.waitForEvent((e) => e.event.type === 'content.reported', 'content.reported');
    expect(event.event).toMatchObject({ type: 'content.reported', report: { bot: 'starter', reason: 'copyright', details: 'The picture is <mine> & was taken without asking.' } });
    const { reports } = await designer.request('bot.reports', { bot: 'starter' });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ reason: 'copyright' });
    await designer.close();

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'reports', 'starter', '--data', t.dataDir], { cwd: root });
    expect(stdout).toMatch(/#1 {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}starter {2}copyright\n {4}The picture is <mine> & was taken without asking\./);
  });

  it('a refused report comes back with the visitor’s words and the reason said plainly; nothing is stored', async () => {
    t = await startTestPlatform();
    const noReason = await postReport(t, { details: 'It is bad <b>really</b>' });
    expect(noReason.status).toBe(400);
    const page = await noReason.text();
    expect(page).toContain('Choose what is wrong with this page.');
    expect(page).toContain('It is bad &lt;b&gt;really&lt;/b&gt;</textarea>'); // kept, escaped
    const tooLong = await postReport(t, { reason: 'spam', details: 'x'.repeat(2_050) });
    expect(tooLong.status).toBe(400);
    const kept = await tooLong.text();
    expect(kept).toContain('these are 50 too long');
    expect(kept).toMatch(/value="spam" checked/);
    expect((await postReport(t, { reason: 'spam' }, 'starter', 'text/plain')).status).toBe(415);
    expect((await postReport(t, { reason: 'spam', details: 'y'.repeat(20_000) })).status).toBe(413);
    expect((await postReport(t, { reason: 'spam' }, 'nosuchbot')).status).toBe(404);
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    expect((await designer.request('bot.reports', { bot: 'starter' })).reports).toEqual([]);
    await designer.close();
  });

  it('a flood of reports from one address is held back (5, then one a minute), with Retry-After', async () => {
    const clock = new ManualClock();
    t = await startTestPlatform({ clock });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await postReport(t, { reason: 'spam', details: `report ${i}` })).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429, 429]);
    const held = await postReport(t, { reason: 'spam' });
    expect(held.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await held.text()).toMatch(/Too many reports from your network: please try again in 1 minute/);
    clock.advance(60_000);
    expect((await postReport(t, { reason: 'other' })).status).toBe(303);
  });

  it('in a browser: linked from the top of the Landing Page, filled in with the keyboard only, no accessibility violations', async () => {
    t = await startTestPlatform();
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${t.url}/chat/starter`);
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Report content');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Report “starter”' }).waitFor();
      expect(await wcagViolations(page)).toEqual([]);
      await page.keyboard.press('Tab'); // the first reason
      await page.keyboard.press('ArrowDown'); // adult
      await page.keyboard.press('Tab');
      await page.keyboard.type('Not for children.');
      await page.getByRole('button', { name: 'Send report' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      // Reloading the thank-you page sends nothing again.
      await page.reload();
      await page.getByRole('link', { name: 'Back to the chat' }).click();
      await page.getByRole('textbox', { name: 'Message' }).waitFor();
      const designer = await DesignerClient.connect(t.url, t.ada.token);
      const { reports } = await designer.request('bot.reports', { bot: 'starter' });
      expect(reports.map((r) => [r.reason, r.details])).toEqual([['adult', 'Not for children.']]);
      await designer.close();
    } finally {
      await browser.close();
    }
  });
});
