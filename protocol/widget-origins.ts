/**
 * The Chat Widget's allowed origins (`LiveTrainingSettings.allowedOrigins`), shared by the Platform, its CLI and
 * Studio's bot settings: `*` means any site (the default); otherwise only the listed sites and the Platform's own pages.
 */
export const ANY_SITE = '*';

/**
 * An origin as the list keeps it: `scheme://host[:port]`, lower case, no path. Throws a readable error for anything
 * else (a path, a missing scheme), so a typo never silently allows nothing.
 */
export function normaliseOrigin(text: string): string {
  const trimmed = text.trim();
  if (trimmed === ANY_SITE) return ANY_SITE;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`"${text}" is not an origin: write it as https://www.example.com (scheme, host, and the port if it is not the usual one)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${text}" is not a web origin: it must start with https:// or http://`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new Error(`"${text}" has more than an origin: give only ${url.origin} (a site is allowed as a whole)`);
  }
  return url.origin.toLowerCase();
}
