import { ANY_SITE } from '../../protocol/widget-origins.js';

export { ANY_SITE, normaliseOrigin } from '../../protocol/widget-origins.js';

/**
 * May a page on `origin` open the chat socket of a bot? Browsers always send Origin on a WebSocket upgrade, so a
 * missing one means a non-browser client, which could claim any origin anyway: Origin protects end users' browsers
 * from pages the bot owner did not approve, not the Platform from scripts (rate limits do that).
 * Allowed: the Platform's own pages (same host), and the bot's allowed origins (exact `scheme://host[:port]`, or `*`
 * for any site, the default: the Chat Widget is a public channel like the Landing Page).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (host && parsed.host.toLowerCase() === host.toLowerCase()) return true;
  const normalised = parsed.origin.toLowerCase();
  return allowedOrigins.some((allowed) => allowed === '*' || allowed.replace(/\/+$/, '').toLowerCase() === normalised);
}

/** What the allowed-origins list means, in words, for the CLI and logs. */
export function describeOriginPolicy(bot: string, allowedOrigins: readonly string[]): string {
  const listed = allowedOrigins.filter((o) => o !== ANY_SITE);
  if (allowedOrigins.includes(ANY_SITE)) {
    return `The Chat Widget of ${bot} works on any site.${listed.length ? `\nAlso listed (used once you restrict it): ${listed.join(', ')}` : ''}`;
  }
  if (listed.length === 0) return `The Chat Widget of ${bot} works on no other site: only on this Platform's own pages (the Landing Page).`;
  return `The Chat Widget of ${bot} works only on these sites (and this Platform's own pages):\n${listed.map((o) => `  ${o}`).join('\n')}`;
}
