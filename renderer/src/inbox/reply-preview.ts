// The rich-media elements of a bot reply (AIML 2.1 section 10, as Pandorabots' widget shows them). A reply holds
// them as markup; a one-line preview shows their words. Other `<...>` stays: it may be what the bot said
// ("I <3 robots", a designer's "<glad>").
const RICH_MEDIA_TAG = /<\/?(?:button|reply|card|carousel|image|video|link|text|postback|url|title|subtitle|olist|ulist|li|split)(?:\s[^<>]*)?\/?>/gi;
// A delay is a pause, not words.
const DELAY = /<delay>[^<]*<\/delay>|<delay\s*\/>/gi;

/** A bot reply's words for a one-line preview: rich-media markup dropped, white space collapsed. */
export function replyPreview(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(DELAY, ' ').replace(RICH_MEDIA_TAG, ' ').replace(/\s+/g, ' ').trim();
}
