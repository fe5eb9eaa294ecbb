import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendBytes, sendJson } from '../../../server/http/send.js';

function fakeResponse() {
  const sent: { status?: number; headers?: Record<string, unknown>; body?: string | Uint8Array } = {};
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      sent.status = status;
      sent.headers = headers;
      return res;
    },
    end(body: string | Uint8Array) {
      sent.body = body;
    },
  };
  return { res: res as unknown as ServerResponse, sent };
}

describe('HTTP send helpers', () => {
  it('sends JSON with its byte length (not its character count), uncached and never sniffed', () => {
    const { res, sent } = fakeResponse();
    sendJson(res, 404, { message: 'no bot named Zoë' });
    expect(sent.status).toBe(404);
    expect(sent.body).toBe('{"message":"no bot named Zoë"}');
    expect(sent.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': 31,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('lets a route choose its own caching and add headers', () => {
    const { res, sent } = fakeResponse();
    sendJson(res, 200, {}, { 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' });
    expect(sent.headers).toMatchObject({ 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' });
  });

  it('sends bytes with their length and the given type', () => {
    const { res, sent } = fakeResponse();
    sendBytes(res, 200, 'application/zip', new Uint8Array([1, 2, 3]), { 'content-disposition': 'attachment; filename="bot.zip"' });
    expect(sent.headers).toMatchObject({ 'Content-Type': 'application/zip', 'Content-Length': 3, 'Cache-Control': 'no-store', 'content-disposition': 'attachment; filename="bot.zip"' });
  });
});
