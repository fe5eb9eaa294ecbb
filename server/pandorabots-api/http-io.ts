import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/send.js';

/** An API failure with the HTTP status Pandorabots uses for it and a message saying what to do. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** Extra JSON fields (verify's `results`/`errors`). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Largest form body of a talk request (input is at most 2000 characters; the rest are short parameters). */
export const MAX_FORM_BYTES = 64 * 1024;

/**
 * Read a request body up to `limit` bytes. Beyond it: ApiError 400 (Pandorabots answers malformed and oversized
 * requests with 400), and the rest of the body is drained so the client still reads the answer.
 */
export async function readBody(req: IncomingMessage, limit: number, tooLarge: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new ApiError(400, tooLarge);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      req.resume();
      throw new ApiError(400, tooLarge);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Parameters from the query string and, for a form POST, the body (clients use either; the body wins). */
export function mergeParams(url: URL, req: IncomingMessage, body: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) params.set(key, value);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (body.length > 0 && (type === 'application/x-www-form-urlencoded' || type === '')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
  }
  return params;
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, { status: 'error', message: error.message, ...error.body });
}

/** Pandorabots flags arrive as `true` (pb-cli), `True` (pb-python) or `1`. */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|yes|on)$/i.test(value.trim());
}
