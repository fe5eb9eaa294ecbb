import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import { LIVE_TRAINING_FILE } from '../../aiml/index.js';
import { MAX_BOT_FILE_BYTES } from '../bots/bot-file-formats.js';
import { type BotFileRef, fileRefFromApi, isFileKind, isValidBotName, kindExtension } from '../bots/bot-file-names.js';
import { isBotStoreError } from '../bots/errors.js';
import type { ManagedBotRegistry } from '../bots/registry.js';
import { type ApiCredentials, secretsEqual } from './credentials.js';
import { sendBytes, sendJson } from '../http/send.js';
import { ApiError, readBody } from './http-io.js';
import { logsFileName, logsToTsv } from './logs-tsv.js';
import type { ApiConversationLog, ApiLogRow } from './ports.js';
import { writeZip } from './zip-writer.js';

export interface BotRouteDeps {
  registry: ManagedBotRegistry;
  credentials: ApiCredentials;
  conversations: ApiConversationLog;
  clock: Clock;
  logger: Logger;
  maxBots: number;
  learnedFile?: LearnedFileRoute | undefined;
}

/** The Platform's learned categories behind `pand_livetraining.aiml` (server/training/learned-upload.ts). */
export interface LearnedFileRoute {
  /** Imports the file's categories; undefined when it is not well-formed AIML (then it is stored as given). */
  upload(bot: string, content: Uint8Array): Promise<{ conflicts: Array<{ pattern: string; line: number; message: string }> } | undefined>;
  remove(bot: string): Promise<unknown>;
}

/** Pandorabots shows 30 days of logs. */
const LOG_WINDOW_MS = 30 * 24 * 3600_000;

/**
 * `/bot/<app_id>[/<botname>[/<kind>[/<file>]]]`: list, create, delete and get bots; upload, get and remove their
 * files; verify (compile); download logs. Statuses as Pandorabots documents them per endpoint.
 */
export async function handleBotRoute(req: IncomingMessage, res: ServerResponse, url: URL, segments: string[], deps: BotRouteDeps): Promise<void> {
  const [appId, bot, kind, name, ...rest] = segments;
  const method = req.method ?? 'GET';
  const userKey = url.searchParams.get('user_key');
  if (appId !== deps.credentials.appId || userKey === null || !secretsEqual(deps.credentials.userKey, userKey)) {
    req.resume();
    throw new ApiError(401, 'invalid app_id or user_key');
  }
  if (rest.length > 0) throw new ApiError(404, 'no such API path');

  if (bot === undefined) {
    allow(method, ['GET']);
    return listBots(res, deps);
  }
  if (!isValidBotName(bot)) {
    req.resume();
    throw new ApiError(400, 'invalid botname: 3-64 lowercase letters and digits');
  }

  if (kind === undefined) {
    allow(method, ['GET', 'PUT', 'DELETE']);
    if (method === 'PUT') return createBot(res, bot, deps);
    if (method === 'DELETE') return deleteBot(res, bot, deps);
    return getBot(res, bot, url.searchParams.get('return') === 'zip', deps);
  }
  if (kind === 'verify' && name === undefined) {
    allow(method, ['GET']);
    return verify(res, bot, deps);
  }
  if (kind === 'logs' && name === undefined) {
    allow(method, ['GET']);
    return downloadLogs(res, bot, url, deps);
  }
  if (!isFileKind(kind)) {
    req.resume();
    throw new ApiError(404, `"${kind.slice(0, 40)}" is not a file kind: use file, set, map, substitution, properties or pdefaults`);
  }
  allow(method, ['GET', 'PUT', 'DELETE']);
  let ref: BotFileRef;
  try {
    ref = fileRefFromApi(kind, name);
  } catch (error) {
    req.resume();
    if (isBotStoreError(error, 'bad_file_name')) throw new ApiError(400, error.message);
    throw error;
  }
  if (!deps.registry.exists(bot)) {
    req.resume();
    throw new ApiError(412, `no bot named "${bot}"`);
  }
  try {
    const learnedFile = isLearnedFile(ref) ? deps.learnedFile : undefined;
    if (method === 'PUT') {
      const content = await readBody(req, MAX_BOT_FILE_BYTES, `a bot file is at most ${MAX_BOT_FILE_BYTES} bytes (2 MB)`);
      // The learned file is imported into the bot's learned categories (and rewritten from them), not stored beside them.
      const imported = learnedFile ? await learnedFile.upload(bot, content) : undefined;
      if (imported) return sendJson(res, 200, { status: 'ok', ...(imported.conflicts.length > 0 ? { conflicts: imported.conflicts } : {}) });
      deps.registry.writeFile(bot, ref, content);
      return sendJson(res, 200, { status: 'ok' });
    }
    if (method === 'DELETE') {
      if (learnedFile) await learnedFile.remove(bot);
      deps.registry.removeFile(bot, ref);
      return sendJson(res, 200, { status: 'ok' });
    }
    const content = deps.registry.readFile(bot, ref);
    return sendBytes(res, 200, kind === 'file' ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8', content);
  } catch (error) {
    if (isBotStoreError(error, 'bad_file_content')) throw new ApiError(400, error.message);
    if (isBotStoreError(error, 'file_not_found', 'unknown_bot')) throw new ApiError(412, error.message);
    throw error;
  }
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) throw new ApiError(405, `use ${methods.join(', ')} here`, { allow: methods });
}

function listBots(res: ServerResponse, deps: BotRouteDeps): void {
  const bots = deps.registry.allBots().map((bot) => {
    const status = deps.registry.status(bot);
    return {
      botname: bot,
      compiled: status.live,
      uncompiled_changes: status.dirty,
      ...(status.compiledAt ? { compiled_at: new Date(status.compiledAt).toISOString() } : {}),
      botkey: deps.credentials.botKeys.keyFor(bot),
      // Not in Pandorabots' answer: present only when this Platform found the bot's state.json corrupt.
      ...(status.stateFileReset ? { state_file_reset: stateFileResetText(status.stateFileReset) } : {}),
    };
  });
  sendJson(res, 200, bots);
}

function stateFileResetText(r: { keptAt: string; reason: string; at: number }): string {
  return `state.json was corrupt (${r.reason}) on ${new Date(r.at).toISOString()}: kept aside at ${r.keptAt}; the bot was compiled again from its files`;
}

function createBot(res: ServerResponse, bot: string, deps: BotRouteDeps): void {
  if (deps.registry.exists(bot)) throw new ApiError(409, `a bot named "${bot}" already exists`);
  if (deps.registry.allBots().length >= deps.maxBots) throw new ApiError(401, `this app's plan allows ${deps.maxBots} bots; delete one first`);
  try {
    deps.registry.createBot(bot);
  } catch (error) {
    if (isBotStoreError(error, 'bot_exists')) throw new ApiError(409, error.message);
    throw error;
  }
  deps.credentials.botKeys.keyFor(bot);
  sendJson(res, 200, { status: 'ok' });
}

async function deleteBot(res: ServerResponse, bot: string, deps: BotRouteDeps): Promise<void> {
  try {
    await deps.registry.deleteBot(bot);
  } catch (error) {
    if (isBotStoreError(error, 'unknown_bot')) throw new ApiError(412, `no bot named "${bot}"`);
    throw error;
  }
  deps.credentials.botKeys.forget(bot);
  sendJson(res, 200, { status: 'ok' });
}

function getBot(res: ServerResponse, bot: string, zip: boolean, deps: BotRouteDeps): void {
  if (!deps.registry.exists(bot)) throw new ApiError(404, `no bot named "${bot}"`);
  if (zip) {
    const files = deps.registry.readAllFiles(bot);
    const at = new Date(deps.clock.now());
    const archive = writeZip(files.map((f) => ({ name: f.name, content: f.content, modified: at })));
    return sendBytes(res, 200, 'application/zip', archive, { 'content-disposition': `attachment; filename="${bot}.zip"` });
  }
  const listing = {
    botname: bot,
    properties: [] as unknown[],
    pdefaults: [] as unknown[],
    files: [] as Array<{ name: string }>,
    sets: [] as Array<{ name: string }>,
    maps: [] as Array<{ name: string }>,
    substitutions: [] as Array<{ name: string }>,
  };
  for (const ref of deps.registry.listFiles(bot)) {
    switch (ref.kind) {
      case 'properties':
      case 'pdefaults':
        listing[ref.kind] = parsedPairs(deps.registry.readFile(bot, ref));
        break;
      case 'file':
        listing.files.push({ name: `${ref.name}${kindExtension('file')}` });
        break;
      case 'set':
        listing.sets.push({ name: ref.name });
        break;
      case 'map':
        listing.maps.push({ name: ref.name });
        break;
      case 'substitution':
        listing.substitutions.push({ name: ref.name });
        break;
    }
  }
  sendJson(res, 200, listing);
}

function parsedPairs(content: Buffer): unknown[] {
  try {
    const value: unknown = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

async function verify(res: ServerResponse, bot: string, deps: BotRouteDeps): Promise<void> {
  if (!deps.registry.exists(bot)) throw new ApiError(400, `no bot named "${bot}"`);
  const result = await deps.registry.verify(bot);
  // pb-cli prints results[0], pb-python errors[0]: both get every error. `filename` comes last, as pb-cli's
  // own tests expect it printed.
  const entries = (list: typeof result.errors) =>
    list.map((d) => {
      const name = d.file.slice(d.file.lastIndexOf('/') + 1);
      return { file: name, line: d.line, column: d.column, message: d.message, filename: name };
    });
  if (!result.ok) {
    const errors = entries(result.errors);
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
    throw new ApiError(400, `the bot did not compile (${count}); the last compiled version keeps running`, { results: errors, errors });
  }
  sendJson(res, 200, { status: 'ok', ...(result.warnings.length > 0 ? { warnings: entries(result.warnings) } : {}) });
}

async function downloadLogs(res: ServerResponse, bot: string, url: URL, deps: BotRouteDeps): Promise<void> {
  if (!deps.registry.exists(bot)) throw new ApiError(404, `no bot named "${bot}"`);
  const to = timeParam(url, 'to') ?? deps.clock.now();
  const from = timeParam(url, 'from') ?? to - LOG_WINDOW_MS;
  if (from > to) throw new ApiError(400, '"from" is after "to"');
  const rows: ApiLogRow[] = [];
  for await (const row of deps.conversations.logRows(bot, { from, to })) rows.push(row);
  const tsv = logsToTsv(rows);
  sendBytes(res, 200, 'text/tab-separated-values; charset=utf-8', Buffer.from(tsv, 'utf8'), {
    'content-disposition': `attachment; filename="${logsFileName(from, to)}"`,
  });
}

/** `from`/`to` as epoch milliseconds or an ISO 8601 date. */
function timeParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ApiError(400, `"${name}" is not a time: use epoch milliseconds or an ISO 8601 date`);
  return ms;
}

function isLearnedFile(ref: BotFileRef): boolean {
  return ref.kind === 'file' && `${ref.name}.aiml` === LIVE_TRAINING_FILE;
}
