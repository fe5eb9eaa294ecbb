import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { BotName } from '../../protocol/conversation.js';
import { renderIndexPage, renderLandingPage, renderNotFoundPage } from '../channels/landing-page.js';
import { loadFavicon } from '../channels/favicon.js';
import type { StaticAsset } from '../channels/static-assets.js';
import { originAllowed } from '../chat/origin-policy.js';
import type { ContentReports } from '../moderation/content-reports.js';
import type { LiveTrainingSettingsStore } from '../settings/live-training-settings.js';
import { reportContentRoute } from './report-content-route.js';
import { send, sendJson } from './send.js';

export interface RouteDeps {
  bots: { list(): string[]; has(bot: string): boolean };
  settings: LiveTrainingSettingsStore;
  assets: Map<string, StaticAsset>;
  /** The Pandorabots-compatible API: tried first; true when it handled the request. */
  api?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Visitors' "Report content" from the Landing Pages. */
  reports?: ContentReports;
  /** The user's address (http/client-address.ts). */
  clientAddress: (req: IncomingMessage) => string;
  /** A page on a site the bot does not allow asked for its widget (designers are told, rate-limited). */
  onOriginRefused?: (bot: string, origin: string | undefined) => void;
  /** Readiness: false while starting or shutting down. */
  ready: () => boolean;
  logger: Logger;
}

const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // The widget styles its shadow root with a <style> element, and the page sets the theme colours inline.
  "style-src 'self' 'unsafe-inline'",
  // Bot replies and the Landing Page's media slot show images and videos from the bot owner's links (http(s) only).
  "img-src 'self' https: http: data:",
  "media-src 'self' https: http:",
  "connect-src 'self'",
  "base-uri 'none'",
  // The Landing Page's "Report content" form posts to this Platform.
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The Platform's own HTTP routes: health, the Landing Page, the widget and its assets. */
export function platformRoutes(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) =>
    send(res, status, 'text/html; charset=utf-8', body, { 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-cache', 'Referrer-Policy': 'no-referrer', ...headers });
  const knownBot = (bot: string) => BotName.safeParse(bot).success && deps.bots.has(bot);
  const favicon = loadFavicon();

  return async (req, res) => {
    try {
      if (deps.api && (await deps.api(req, res))) return;
      const url = new URL(req.url ?? '/', 'http://platform.invalid');
      const path = url.pathname;
      const report = /^\/chat\/([a-z0-9]+)\/report\/?$/.exec(path);
      if (report && deps.reports) {
        const bot = report[1]!;
        if (!knownBot(bot)) {
          req.resume();
          return html(res, 404, renderNotFoundPage(bot, deps.bots.list()));
        }
        return await reportContentRoute(req, res, { bot, pageTitle: deps.settings.get(bot).landingPage.title, url, reports: deps.reports, clientAddress: deps.clientAddress, html });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { status: 'error', message: `${req.method} is not allowed on ${path}` });

      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') return deps.ready() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready' });

      if (path === '/widget.js' || path === '/favicon.ico' || path.startsWith('/channels/')) {
        const name = path === '/widget.js' ? 'widget.js' : path.slice('/channels/'.length);
        const asset = path === '/favicon.ico' ? favicon : deps.assets.get(name);
        if (!asset) return sendJson(res, 404, { status: 'error', message: `no asset ${name}` });
        if (req.headers['if-none-match'] === asset.etag) {
          res.writeHead(304, { ETag: asset.etag });
          return void res.end();
        }
        // Host pages load the widget cross-origin: it must be allowed to run there, and refresh within a minute.
        return send(res, 200, asset.contentType, asset.body, { ETag: asset.etag, 'Cache-Control': 'public, max-age=60', 'Cross-Origin-Resource-Policy': 'cross-origin' });
      }

      if (path === '/widget-settings') {
        // The widget's appearance before any chat starts, so a visitor who never opens the chat costs no socket.
        const bot = url.searchParams.get('bot') ?? '';
        // Readable from any site (the Landing Page URL says as much): the widget stops trying and says so.
        if (!knownBot(bot)) return sendJson(res, 404, { status: 'error', message: `no bot named ${bot.slice(0, 64)}` }, { 'Access-Control-Allow-Origin': '*' });
        const settings = deps.settings.get(bot);
        const origin = req.headers.origin;
        if (!originAllowed(origin, req.headers.host, deps.settings.allowedOrigins(bot))) {
          deps.onOriginRefused?.(bot, origin);
          // Readable by the refused page, so the widget can tell the site's owner in the console why the chat stays shut.
          return sendJson(res, 403, { status: 'error', message: `pages on ${origin} may not show the bot ${bot}: add ${origin} to the bot's allowed origins` }, { 'Access-Control-Allow-Origin': '*' });
        }
        const cors: Record<string, string> = origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
        return sendJson(res, 200, { bot, appearance: settings.appearance, keepConversationMinutes: settings.keepConversationMinutes }, { 'Cache-Control': 'no-cache', ...cors });
      }

      const landing = /^\/chat\/([^/]+)\/?$/.exec(path);
      if (landing) {
        let bot: string;
        try {
          bot = decodeURIComponent(landing[1]!);
        } catch {
          bot = landing[1]!;
        }
        if (!knownBot(bot)) return html(res, 404, renderNotFoundPage(bot, deps.bots.list()));
        return html(res, 200, renderLandingPage(bot, deps.settings.get(bot)));
      }

      if (path === '/') {
        const host = req.headers.host ?? 'localhost';
        return html(res, 200, renderIndexPage(deps.bots.list(), `http://${host}`));
      }
      sendJson(res, 404, { status: 'error', message: `nothing at ${path}` });
    } catch (error) {
      deps.logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { status: 'error', message: 'the Platform could not answer this request; it is logged' });
      else res.destroy();
    }
  };
}
