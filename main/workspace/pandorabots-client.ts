import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { AppError, type PlatformApiErrorCode } from '../../protocol/errors.js';
import type { TrainingDiagnostic } from '../../protocol/training.js';

export interface ApiCredentials {
  appId: string;
  userKey: string;
}

/** A refusal or failure of the Platform's Pandorabots API, in words a designer can act on; the HTTP status in details. */
export type PlatformApiError = AppError<PlatformApiErrorCode>;

function platformApiError(code: PlatformApiErrorCode, message: string, status: number | undefined, cause?: unknown): PlatformApiError {
  return new AppError(code, message, { ...(status ? { details: { status } } : {}), ...(cause !== undefined ? { cause } : {}) });
}

/** `GET /bot/<app_id>/<bot>`: the bot's files by kind (names as Pandorabots lists them). */
const BotListing = z.object({
  files: z.array(z.object({ name: z.string() })).default([]),
  sets: z.array(z.object({ name: z.string() })).default([]),
  maps: z.array(z.object({ name: z.string() })).default([]),
  substitutions: z.array(z.object({ name: z.string() })).default([]),
  properties: z.array(z.unknown()).default([]),
  pdefaults: z.array(z.unknown()).default([]),
});
export type BotListing = z.infer<typeof BotListing>;

const VerifyEntry = z.object({ file: z.string().optional(), filename: z.string().optional(), line: z.number().optional(), column: z.number().optional(), message: z.string() });
const VerifyReply = z.object({
  status: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(VerifyEntry).optional(),
  results: z.array(VerifyEntry).optional(),
  warnings: z.array(VerifyEntry).optional(),
});

export type FileKind = 'file' | 'set' | 'map' | 'substitution' | 'properties' | 'pdefaults';

export type VerifyOutcome = { ok: true; warnings: TrainingDiagnostic[] } | { ok: false; message: string; errors: TrainingDiagnostic[] };

/** Bodies are sent in slices this big, so that upload progress moves for large files. */
const UPLOAD_SLICE = 64 * 1024;
const TIMEOUT_MS = 60_000;

interface Reply {
  status: number;
  body: Buffer;
}

/**
 * A client of the Platform's Pandorabots-compatible REST API (`/bot/<app_id>/...`, user_key in the query as the
 * public API takes it): list a bot's files, get one, upload one, verify (compile). The same API any Pandorabots
 * SDK speaks, so Studio publishes exactly as a designer's own scripts would.
 */
export class PandorabotsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials: ApiCredentials,
  ) {}

  async listFiles(bot: string): Promise<BotListing> {
    const reply = await this.call('GET', this.path(bot), undefined);
    return parseJson(reply, BotListing, 'the bot file listing');
  }

  async getFile(bot: string, kind: FileKind, name?: string): Promise<Buffer> {
    return (await this.call('GET', this.path(bot, kind, name), undefined)).body;
  }

  async putFile(bot: string, kind: FileKind, name: string | undefined, body: Buffer, onProgress?: (sent: number, total: number) => void): Promise<void> {
    await this.call('PUT', this.path(bot, kind, name), body, onProgress);
  }

  /** Compiles the bot's files on the Platform; only a clean compile replaces the version the bot runs. */
  async verify(bot: string): Promise<VerifyOutcome> {
    const reply = await this.call('GET', this.path(bot, 'verify'), undefined, undefined, [400]);
    const json = parseJson(reply, VerifyReply, 'the verify reply');
    const list = (entries: z.infer<typeof VerifyEntry>[] | undefined, severity: 'error' | 'warning'): TrainingDiagnostic[] =>
      (entries ?? []).map((e) => ({ file: e.file ?? e.filename ?? '', line: Math.max(0, Math.trunc(e.line ?? 0)), column: Math.max(0, Math.trunc(e.column ?? 0)), message: e.message, severity }));
    if (reply.status === 400) {
      return { ok: false, message: json.message ?? 'the bot did not compile', errors: list(json.errors ?? json.results, 'error') };
    }
    return { ok: true, warnings: list(json.warnings, 'warning') };
  }

  private path(bot: string, kind?: string, name?: string): string {
    const parts = ['bot', this.credentials.appId, bot];
    if (kind) parts.push(kind);
    if (name) parts.push(name);
    return `/${parts.map(encodeURIComponent).join('/')}?user_key=${encodeURIComponent(this.credentials.userKey)}`;
  }

  private call(method: string, path: string, body: Buffer | undefined, onProgress?: (sent: number, total: number) => void, expected: number[] = []): Promise<Reply> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const where = `${method} ${url.pathname}`;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Reply>((resolve, reject) => {
      const req = request(url, { method, timeout: TIMEOUT_MS, headers: body ? { 'content-type': 'application/octet-stream', 'content-length': body.length } : {} });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (error) => reject(platformApiError('platform_unreachable', `Could not reach the Platform at ${this.baseUrl} (${where}): ${error.message}`, undefined, error)));
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (error) => reject(platformApiError('platform_unreachable', `The Platform's answer to ${where} broke off: ${error.message}`, res.statusCode, error)));
        res.on('end', () => {
          const reply = { status: res.statusCode ?? 0, body: Buffer.concat(chunks) };
          if ((reply.status >= 200 && reply.status < 300) || expected.includes(reply.status)) resolve(reply);
          else reject(refusal(reply, where));
        });
      });
      void send(req, body, onProgress).catch((error: unknown) => req.destroy(error as Error));
    });
  }
}

async function send(req: ReturnType<typeof httpRequest>, body: Buffer | undefined, onProgress?: (sent: number, total: number) => void): Promise<void> {
  if (!body) {
    req.end();
    return;
  }
  let sent = 0;
  onProgress?.(0, body.length);
  while (sent < body.length) {
    const slice = body.subarray(sent, sent + UPLOAD_SLICE);
    const more = req.write(slice);
    sent += slice.length;
    if (!more) await new Promise<void>((r) => req.once('drain', r));
    onProgress?.(sent, body.length);
  }
  req.end();
}

function messageOf(reply: Reply): string | undefined {
  try {
    const json = JSON.parse(reply.body.toString('utf8')) as { message?: unknown };
    return typeof json.message === 'string' ? json.message : undefined;
  } catch {
    return undefined;
  }
}

function refusal(reply: Reply, where: string): PlatformApiError {
  const said = messageOf(reply);
  switch (reply.status) {
    case 401:
      return platformApiError('platform_unauthorized', 'The Platform refused the app id or user key (401): check them under Publishing in the Training view.', 401);
    case 404:
    case 412:
      return platformApiError('platform_no_bot', `The Platform has no such bot or file (${reply.status}${said ? `: ${said}` : ''}).`, reply.status);
    default:
      return platformApiError('platform_refused', `The Platform refused ${where} (${reply.status}${said ? `: ${said}` : ''}).`, reply.status);
  }
}

function parseJson<T>(reply: Reply, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(reply.body.toString('utf8'));
  } catch (error) {
    throw platformApiError('platform_bad_reply', `The Platform sent ${what} that is not JSON.`, reply.status, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw platformApiError('platform_bad_reply', `The Platform sent ${what} in an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`, reply.status, parsed.error);
  return parsed.data;
}
