import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import type { ManagedBotRegistry } from '../bots/registry.js';
import type { AsyncRateLimit } from '../limits/rate-limit.js';
import { AnonymousClients, type AnonymousClientNames } from './anonymous-clients.js';
import { handleBotRoute, type LearnedFileRoute } from './bot-routes.js';
import type { ApiCredentials } from './credentials.js';
import { ApiError, sendError } from './http-io.js';
import { DEFAULT_PLAN_LIMITS, type PlanLimits, TalkCallMeter } from './plan-limits.js';
import type { ApiConversationLog } from './ports.js';
import { defaultSessionId, handleTalk } from './talk.js';

export type { ApiConversationLog, ApiExchange, ApiLogRow } from './ports.js';
export { type ApiCredentials, resolveApiCredentials } from './credentials.js';
export { DEFAULT_PLAN_LIMITS, type PlanLimits } from './plan-limits.js';

export interface PandorabotsApiDeps {
  /** What `openBotRegistry` returned. */
  registry: ManagedBotRegistry;
  credentials: ApiCredentials;
  conversations: ApiConversationLog;
  clock: Clock;
  logger: Logger;
  /** Where atalk keeps its client counter; default: the registry's data directory. */
  dataDir?: string;
  limits?: Partial<PlanLimits>;
  /** New Pandorabots session ids (positive 4-byte integers); random by default. */
  newSessionId?: () => number;
  /** Where an upload or delete of `pand_livetraining.aiml` goes (the Platform's learned categories); absent: a plain file. */
  learnedFile?: LearnedFileRoute;
  /** A cluster's shared count of talk calls (a bucket of `perMinute` that never refills); this process counts without it. */
  sharedTalkCalls?: (perMinute: number) => AsyncRateLimit;
  /** A cluster's numbering of atalk's client names; default: this data folder's counter. */
  anonymousClients?: AnonymousClientNames;
}

/**
 * The Pandorabots-compatible REST API, mounted by the Platform's HTTP server before its own routes. Handles
 * `/talk`, `/atalk` and `/bot/...` and resolves true; resolves false for any other path.
 *
 *   POST /talk/<app_id>/<bot>, /atalk/<app_id>/<bot>   user_key, input, client_name, sessionid, that, topic,
 *        /talk?botkey=..., /atalk?botkey=...           extra, trace, reset, recent, reload (query or form body)
 *   GET /bot/<app_id>                                   list bots (botname, compiled, botkey)
 *   PUT | DELETE | GET /bot/<app_id>/<bot>              create, delete, list files (return=zip: the files zipped)
 *   PUT | GET | DELETE /bot/<app_id>/<bot>/file/<x>.aiml, /set/<x>, /map/<x>, /substitution/<x>,
 *                      /properties, /pdefaults          upload (raw body), get, remove a file
 *   GET /bot/<app_id>/<bot>/verify                      compile; 400 with every error in `results` and `errors`
 *   GET /bot/<app_id>/<bot>/logs[?from=&to=]            the logs download (TSV), last 30 days by default
 */
export function createPandorabotsApi(deps: PandorabotsApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const limits = { ...DEFAULT_PLAN_LIMITS, ...deps.limits };
  const anonymous = deps.anonymousClients ?? new AnonymousClients(deps.dataDir ?? deps.registry.dataDir, deps.credentials.appId);
  const shared = deps.sharedTalkCalls?.(limits.talkCallsPerMinute);
  const meter = new TalkCallMeter(deps.clock, limits.talkCallsPerMinute, shared ? { store: shared, key: deps.credentials.appId } : undefined);
  const talkDeps = { ...deps, anonymous, meter, maxAnonymousClients: limits.maxAnonymousClients, newSessionId: deps.newSessionId ?? defaultSessionId };
  const botDeps = { ...deps, maxBots: limits.maxBots };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // `/bot/app/` and `/bot/app` are the same path; any other empty segment is not.
    const raw = url.pathname.replace(/(.)\/$/, '$1').split('/').slice(1);
    const root = raw[0];
    if (root !== 'talk' && root !== 'atalk' && root !== 'bot') return false;
    try {
      let segments: string[];
      try {
        segments = raw.map((s) => decodeURIComponent(s));
      } catch {
        throw new ApiError(400, 'the path is not valid URL encoding');
      }
      if (segments.slice(1).some((s) => s === '')) throw new ApiError(404, 'no such API path');
      const rest = segments.slice(1);
      if (root === 'bot') {
        if (rest.length === 0) throw new ApiError(404, 'use /bot/<app_id>');
        await handleBotRoute(req, res, url, rest, botDeps);
      } else {
        // The public botkey exists for browsers (a site's own chat box calls /talk?botkey=... from its origin):
        // any origin may call talk and read the answer; a preflight (e.g. for a JSON content type) is answered.
        res.setHeader('access-control-allow-origin', '*');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' });
          res.end();
          return true;
        }
        if (req.method !== 'POST') throw new ApiError(405, `use POST for /${root}`, { allow: ['POST'] });
        if (rest.length === 0) await handleTalk(req, res, url, { kind: 'botkey' }, root === 'atalk', talkDeps);
        else if (rest.length === 2) await handleTalk(req, res, url, { kind: 'path', appId: rest[0]!, bot: rest[1]! }, root === 'atalk', talkDeps);
        else throw new ApiError(404, `use /${root}/<app_id>/<botname> or /${root}?botkey=...`);
      }
    } catch (error) {
      if (!req.readableEnded) req.resume();
      if (res.headersSent) {
        deps.logger.error({ err: error, path: url.pathname }, 'Pandorabots API failed after answering');
        res.destroy();
      } else if (error instanceof ApiError) {
        if (error.status === 405) res.setHeader('allow', (error.body.allow as string[]).join(', '));
        if (error.status === 429) res.setHeader('retry-after', String(meter.retryAfterSeconds()));
        sendError(res, error);
      } else {
        deps.logger.error({ err: error, path: url.pathname, method: req.method }, 'Pandorabots API request failed');
        sendError(res, new ApiError(500, 'the Platform failed to handle this request; it is logged'));
      }
    }
    return true;
  };
}
