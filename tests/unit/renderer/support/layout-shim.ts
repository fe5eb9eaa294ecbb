/**
 * happy-dom does no layout: every box is 0 x 0, so a virtualised list would show no rows at all. Give elements
 * the size of a desktop window; the real layout is exercised in Chromium by the Playwright stories and the bench.
 */
export function giveElementsASize(width = 1200, height = 800): void {
  for (const [name, value] of [
    ['offsetWidth', width],
    ['offsetHeight', height],
    ['clientWidth', width],
    ['clientHeight', height],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
}
