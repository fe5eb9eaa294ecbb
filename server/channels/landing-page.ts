import type { LiveTrainingSettings } from '../../protocol/bot-settings.js';
import { escapeHtml, safeHref } from './html.js';

/**
 * The Landing Page `/chat/<bot>`: the bot owner's title, description, image and contacts beside the chat. The chat is
 * the widget script in inline mode, so both channels share one client. Rendered on the server with every setting
 * escaped; no inline script (the page's CSP forbids it).
 */
export function renderLandingPage(bot: string, settings: LiveTrainingSettings): string {
  const page = settings.landingPage;
  const a = settings.appearance;
  const media = safeHref(page.imageUrl);
  const contacts: string[] = [];
  if (page.author.name) contacts.push(`<li class="author">${escapeHtml(page.author.name)}</li>`);
  if (page.author.email) contacts.push(`<li><a href="mailto:${escapeHtml(page.author.email)}">${escapeHtml(page.author.email)}</a></li>`);
  const website = safeHref(page.author.website);
  if (website) contacts.push(`<li><a href="${escapeHtml(website)}" rel="noopener noreferrer">${escapeHtml(page.author.website)}</a></li>`);
  for (const link of page.author.links) {
    const href = safeHref(link.url);
    if (href) contacts.push(`<li><a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(link.label || link.url)}</a></li>`);
  }
  const description = page.description
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  // The chat's slot has no name of its own: the widget inside is the region "Chat: <title>", one landmark, not two.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="/channels/landing.css">
<style>:root { --lt-theme: ${a.themeColour}; --lt-text: ${a.textColour}; }</style>
</head>
<body>
<header class="page-top"><a href="/chat/${escapeHtml(bot)}/report">Report content</a></header>
<main class="landing">
  <section class="about" aria-labelledby="landing-title">
    ${media ? mediaSlot(media, page.title) : ''}
    <div class="intro">
      <h1 id="landing-title">${escapeHtml(page.title)}</h1>
      <div class="description">${description}</div>
      ${contacts.length ? `<h2>Contact</h2><ul class="contacts">${contacts.join('')}</ul>` : ''}
    </div>
  </section>
  <div class="chat" id="chat"></div>
</main>
<script src="/widget.js" data-bot="${escapeHtml(bot)}" data-mode="inline" data-target="#chat" data-channel="landing"></script>
</body>
</html>
`;
}

/** Video files a browser plays itself (Pandorabots' media slot takes mp4, webm and ogg); anything else is an image. */
const VIDEO_FILE = /\.(mp4|m4v|webm|ogg|ogv)$/i;

/** The media slot: the bot owner's image, or their video with the browser's own controls (never autoplaying). */
function mediaSlot(url: string, title: string): string {
  let path = url;
  try {
    path = new URL(url, 'http://platform.invalid').pathname;
  } catch {
    // safeHref let it through, so it is a URL; a path that does not parse is simply not a video
  }
  if (VIDEO_FILE.test(path)) {
    return `<video class="media" src="${escapeHtml(url)}" controls preload="metadata" playsinline aria-label="Video: ${escapeHtml(title)}"></video>`;
  }
  return `<img class="media" src="${escapeHtml(url)}" alt="">`;
}

/** A short page for an unknown bot, listing the ones that exist. */
export function renderNotFoundPage(bot: string, bots: string[]): string {
  const list = bots.map((b) => `<li><a href="/chat/${escapeHtml(b)}">${escapeHtml(b)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>No such bot</title><link rel="stylesheet" href="/channels/landing.css"></head>
<body><main class="plain"><h1>There is no bot named “${escapeHtml(bot)}” here</h1>
${bots.length ? `<p>Bots on this Platform:</p><ul>${list}</ul>` : '<p>This Platform has no bots yet.</p>'}</main></body></html>
`;
}

/** The Platform's front page: its bots and how to embed the widget (the snippet wraps to fit and has a Copy button). */
export function renderIndexPage(bots: string[], origin: string): string {
  const list = bots.map((b) => `<li><a href="/chat/${escapeHtml(b)}">${escapeHtml(b)}</a></li>`).join('');
  const first = bots[0] ?? 'mybot';
  const snippet = `<script>window.liveTrainingWidget = { bot: "${first}", title: "Ask us" };</script>\n<script src="${origin}/widget.js" async></script>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Live Training Platform</title><link rel="stylesheet" href="/channels/landing.css"></head>
<body><main class="plain"><h1>Live Training Platform</h1>
${bots.length ? `<p>Chat with a bot:</p><ul>${list}</ul>` : '<p>No bots yet.</p>'}
<h2>Put a bot on your site</h2><p>Paste this at the end of your page's <code>&lt;body&gt;</code>:</p>
<div class="snippet"><pre><code id="widget-snippet">${escapeHtml(snippet)}</code></pre>
<button type="button" class="copy" data-copy="widget-snippet">Copy</button><span class="copy-status" role="status"></span></div>
<p>The widget works on any site unless the bot's owner lists the sites allowed to show it
(<code>npm run platform -- widget-origins ${escapeHtml(first)}</code>, or the bot's settings in Studio).</p>
</main><script src="/channels/front-page.js"></script></body></html>
`;
}
