/**
 * Turns what a designer typed into a safe FTS5 query: every word must occur (prefix match, so "hel" finds "hello"),
 * and FTS5 syntax in the input ("NEAR", quotes, colons, asterisks) is taken literally instead of being an error.
 * Returns undefined when nothing searchable is left.
 */
export function toFtsQuery(input: string): string | undefined {
  const words = input
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

/** The keyset cursor of the conversation list, opaque to clients. */
export function encodeCursor(position: { lastActivityAt: number; id: string }): string {
  return Buffer.from(JSON.stringify([position.lastActivityAt, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { lastActivityAt: number; id: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') return { lastActivityAt: value[0], id: value[1] };
  } catch {
    // fall through: a cursor we did not make
  }
  return undefined;
}
