/** Longest title and body Studio hands to the desktop (toasts and banners cut or refuse longer ones anyway). */
export const TITLE_CHARS = 80;
export const BODY_CHARS = 200;

/**
 * A notification's text as the platform's notification server should get it. On Linux the body goes to the
 * freedesktop notification server, which reads it as markup: an end user's `<a href>` or `<img src>` would be
 * rendered (KDE loads remote images: a tracking pixel), so `&`, `<` and `>` are escaped. The summary (title) is
 * plain text there. Everywhere the text is capped; capping first keeps an escape sequence whole.
 */
export function notificationText(platform: NodeJS.Platform, title: string, body: string): { title: string; body: string } {
  const cappedBody = cap(body, BODY_CHARS);
  return { title: cap(title, TITLE_CHARS), body: platform === 'linux' ? escapeMarkup(cappedBody) : cappedBody };
}

export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cap(text: string, max: number): string {
  const chars = [...text];
  // Counted in code points, so an emoji is never cut in half.
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : text;
}
