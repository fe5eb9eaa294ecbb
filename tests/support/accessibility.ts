import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The rules every screen of ours is held to: axe-core's WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * What axe-core finds wrong on the page (shadow roots included), one line per rule with where and why, so a failing
 * assertion says what to fix. `disable` names rules a screen opts out of, each with its reason at the call site.
 */
export async function wcagViolations(page: Page, disable: string[] = []): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_AA);
  if (disable.length > 0) builder = builder.disableRules(disable);
  const result = await builder.analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('; ')})`);
}

/**
 * Every visible element the `controls` selector finds has a non-blank accessible name, and there are more than
 * `atLeast` of them (so a screen that failed to render cannot pass by having nothing to check).
 */
export async function expectEveryControlNamed(page: Page, controls: string, atLeast: number): Promise<void> {
  const found = page.locator(controls);
  const count = await found.count();
  expect(count).toBeGreaterThan(atLeast);
  for (let i = 0; i < count; i++) {
    if (!(await found.nth(i).isVisible())) continue;
    await expect(found.nth(i)).toHaveAccessibleName(/\S/);
  }
}
