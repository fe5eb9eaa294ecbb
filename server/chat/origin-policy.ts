/**
 * May a page on `origin` open the chat socket of a bot? Browsers always send Origin on a WebSocket upgrade, so a
 * missing one means a non-browser client, which could claim any origin anyway: Origin protects end users' browsers
 * from pages the bot owner did not approve, not the Platform from scripts (rate limits do that).
 * Allowed: the Platform's own pages (same host), and the bot's allowed origins (exact `scheme://host[:port]`, or `*`).
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
