import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import { LIMITS } from '../../protocol/limits.js';
import { isValidBotName } from '../bots/bot-file-names.js';
import { isBotStoreError } from '../bots/errors.js';
import type { ManagedBotRegistry } from '../bots/registry.js';
import type { AnonymousClientNames } from './anonymous-clients.js';
import { type ApiCredentials, secretsEqual } from './credentials.js';
import { sendJson } from '../http/send.js';
import { ApiError, MAX_FORM_BYTES, isTrue, mergeParams, readBody } from './http-io.js';
import type { TalkCallMeter } from './plan-limits.js';
import type { ApiConversationLog } from './ports.js';
import { extraFields, traceField } from './talk-details.js';

export interface TalkDeps {
  registry: ManagedBotRegistry;
  credentials: ApiCredentials;
  conversations: ApiConversationLog;
  clock: Clock;
  logger: Logger;
  anonymous: AnonymousClientNames;
  meter: TalkCallMeter;
  maxAnonymousClients: number;
  /** Where new session ids come from (a 4-byte positive integer); passed in for tests. */
  newSessionId: () => number;
}

/** How the request names its bot: `/talk/<app_id>/<bot>` with a user_key, or `/talk` with a public botkey. */
export type TalkTarget = { kind: 'path'; appId: string; bot: string } | { kind: 'botkey' };

/** Pandorabots documents client names as 3-64 of [0-9a-z]; its own generated names add dashes. */
const CLIENT_NAME = /^[0-9a-z][0-9a-z_-]{2,63}$/;

export function defaultSessionId(): number {
  return randomInt(1, 2 ** 31);
}

/**
 * POST /talk and /atalk: answer one input. Parameters come from the query string or a form body (pb-node sends
 * the query, pb-cli a form). Statuses as Pandorabots: 400 malformed (bad botname, client_name, input, sessionid),
 * 401 bad user_key or botkey, 412 unknown app_id, bot not found, or not compiled (without recent), 429 plan limit.
 */
export async function handleTalk(req: IncomingMessage, res: ServerResponse, url: URL, target: TalkTarget, anonymous: boolean, deps: TalkDeps): Promise<void> {
  const body = await readBody(req, MAX_FORM_BYTES, `a talk request is at most ${MAX_FORM_BYTES} bytes`);
  const params = mergeParams(url, req, body);

  let bot: string;
  if (target.kind === 'botkey') {
    const key = params.get('botkey');
    if (!key) throw new ApiError(401, 'a botkey is required: /talk?botkey=BOTKEY&input=INPUT');
    const found = deps.credentials.botKeys.botFor(key);
    if (!found) throw new ApiError(401, 'invalid botkey');
    bot = found;
  } else {
    if (!isValidBotName(target.bot)) throw new ApiError(400, 'invalid botname: 3-64 lowercase letters and digits');
    const userKey = params.get('user_key');
    const botKey = params.get('botkey');
    if (userKey === undefined && botKey !== undefined) {
      // The botkey may also name the bot in the path form (Pandorabots documents atalk so).
      if (deps.credentials.botKeys.botFor(botKey) !== target.bot) throw new ApiError(401, 'invalid botkey');
    } else if (userKey === undefined || !secretsEqual(deps.credentials.userKey, userKey)) {
      throw new ApiError(401, 'invalid user_key');
    }
    if (target.appId !== deps.credentials.appId) throw new ApiError(412, `no bot "${target.bot}" for app_id "${target.appId}"`);
    bot = target.bot;
  }
  if (!deps.registry.has(bot)) {
    throw new ApiError(412, deps.registry.exists(bot) ? `bot "${bot}" is not compiled yet: verify it first` : `no bot named "${bot}"`);
  }

  const input = params.get('input');
  if (input === undefined || input.trim() === '') throw new ApiError(400, 'input is required');
  if (input.length > LIMITS.messageChars) throw new ApiError(400, `input is ${input.length} characters; the limit is ${LIMITS.messageChars}`);

  let clientName = params.get('client_name');
  if (clientName !== undefined && clientName !== '' && !CLIENT_NAME.test(clientName)) {
    throw new ApiError(400, 'invalid client_name: 3-64 lowercase letters, digits, "-" or "_"');
  }
  if (clientName === '') clientName = undefined;
  if (anonymous && clientName !== undefined && !(await deps.anonymous.isKnown(clientName))) {
    throw new ApiError(400, `unknown client_name "${clientName}": leave it out and atalk creates one`);
  }

  const sessionParam = params.get('sessionid');
  let sessionId: number;
  if (sessionParam !== undefined && sessionParam !== '') {
    if (!/^\d{1,10}$/.test(sessionParam) || Number(sessionParam) < 1 || Number(sessionParam) >= 2 ** 31) {
      throw new ApiError(400, 'invalid sessionid: a positive 4-byte integer returned by an earlier talk');
    }
    sessionId = Number(sessionParam);
  } else {
    sessionId = deps.newSessionId();
  }

  if (!(await deps.meter.admit())) {
    throw new ApiError(429, `this app has reached its plan's limit of talk calls per minute; retry in ${deps.meter.retryAfterSeconds()} s`);
  }
  if (anonymous && clientName === undefined) {
    clientName = await deps.anonymous.createWithin(deps.maxAnonymousClients);
    if (clientName === undefined) throw new ApiError(429, `this app has created its plan's ${deps.maxAnonymousClients} anonymous clients`);
  }

  // No client name: the application itself is the client, and its predicates stay (Pandorabots attaches them to
  // the app). atalk-made names keep their predicates indefinitely. Other names are flushed after idle.
  const clientKey = clientName === undefined ? `api-app:${deps.credentials.appId}` : `api:${clientName}`;
  const persist = clientName === undefined || (await deps.anonymous.isKnown(clientName));
  if (isTrue(params.get('reset'))) await deps.registry.resetSession(bot, clientKey);
  if (isTrue(params.get('reload'))) await deps.registry.reload(bot);
  // Trace shows templates and internal state: Pandorabots refuses it for end users (with a client_name).
  const trace = isTrue(params.get('trace')) && clientName === undefined;

  let result;
  try {
    // The client may have talked to another Platform instance last: its predicates come from the shared store.
    if (deps.registry.has(bot)) await deps.registry.loadSession(bot, clientKey, persist);
    result = deps.registry.talk(bot, clientKey, input, {
      persist,
      recent: isTrue(params.get('recent')),
      trace,
      ...(params.get('that') ? { that: params.get('that') } : {}),
      ...(params.get('topic') ? { topic: params.get('topic') } : {}),
    });
  } catch (error) {
    if (isBotStoreError(error, 'bot_not_compiled', 'unknown_bot')) throw new ApiError(412, error.message);
    throw error;
  }

  // A persistent client's predicates are saved before the reply goes out: a reply is never ahead of its state.
  await result.stateSaved;

  const at = deps.clock.now();
  try {
    await deps.conversations.record({ bot, clientName: clientName ?? deps.credentials.appId, sessionId, input, answer: result.answer, at });
  } catch (error) {
    deps.logger.error({ err: error, bot }, 'could not log an API exchange');
  }

  const responses = result.reply.sentences.length > 0 ? result.reply.sentences.map((s) => s.text) : [result.reply.text];
  sendJson(res, 200, {
    status: 'ok',
    responses,
    sessionid: sessionId,
    ...(anonymous || clientName !== undefined ? { client_name: clientName } : {}),
    ...(isTrue(params.get('extra')) ? extraFields(result.bot, result.reply) : {}),
    ...(trace ? { trace: traceField(result.bot, result.reply) } : {}),
  });
}
