import type { ServerResponse } from 'node:http';

/**
 * Answering an HTTP request, for every route of the Platform (its own pages and assets, the Pandorabots-compatible
 * API): the length is always set, and browsers never guess a content type (nosniff).
 */
export function send(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

/** A JSON answer. Not cached unless `headers` say otherwise: these answers describe state that changes. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), { 'Cache-Control': 'no-store', ...headers });
}

/** Bytes built for this request (a file, an archive, a log export): not cached. */
export function sendBytes(res: ServerResponse, status: number, contentType: string, body: Uint8Array, headers: Record<string, string> = {}): void {
  send(res, status, contentType, body, { 'Cache-Control': 'no-store', ...headers });
}
