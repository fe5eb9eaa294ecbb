import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host.js';
import { createDispatcher, type StudioHandlers } from '../../../main/studio-api/dispatcher.js';
import { StudioEventStream } from '../../../main/studio-api/event-stream.js';

let dir: string;
let host: BrowserHost;
let events: StudioEventStream;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'studio-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Studio</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("studio")');
  writeFileSync(join(dir, '..', 'secret.txt'), 'not for the browser');
  events = new StudioEventStream();
  const handlers = { 'activity.report': () => ({}), 'conversations.list': () => ({ conversations: [] }) } as unknown as StudioHandlers;
  host = await startBrowserHost({ dispatcher: createDispatcher(handlers), events, rendererDir: dir, secret: 's3cret' });
});
afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(dir, '..', 'secret.txt'), { force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(opts: { origin?: string; key?: string; host?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/studio-api?key=${opts.key ?? 's3cret'}`, {
    origin: opts.origin ?? host.origin,
    headers: opts.host ? { Host: opts.host } : {},
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
}

describe('browser-mode host', () => {
  it('gives a loopback URL carrying the per-run key', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?key=s3cret`);
  });

  it('serves the renderer with a strict Content Security Policy', async () => {
    const page = await get('/?key=s3cret', { Host: `127.0.0.1:${host.port}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Studio</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`ws://127.0.0.1:${host.port}`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const js = await get('/assets/app.js');
    expect(js.headers['content-type']).toContain('text/javascript');
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/assets%5c..%5c..%5csecret.txt']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('not for the browser');
    }
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    const r = await get('/', { Host: 'evil.example.com' });
    expect(r.status).toBe(421);
  });

  it('answers Studio API calls over the socket', async () => {
    const ws = await connect();
    ws.send(JSON.stringify({ id: 7, method: 'conversations.list', args: {} }));
    expect(await nextFrame(ws)).toEqual({ id: 7, ok: true, result: { conversations: [] } });
    ws.send(JSON.stringify({ id: 8, method: 'no.such', args: {} }));
    expect(await nextFrame(ws)).toMatchObject({ id: 8, ok: false, error: { code: 'unknown_method' } });
    ws.close();
  });

  it('answers a malformed frame with an error and keeps the socket open', async () => {
    const ws = await connect();
    ws.send('{not json');
    expect(await nextFrame(ws)).toMatchObject({ id: -1, ok: false, error: { code: 'bad_frame' } });
    ws.send(JSON.stringify({ id: 3, args: {} }));
    expect(await nextFrame(ws)).toMatchObject({ id: 3, ok: false, error: { code: 'bad_frame' } });
    ws.send(JSON.stringify({ id: 4, method: 'activity.report', args: {} }));
    expect(await nextFrame(ws)).toEqual({ id: 4, ok: true, result: {} });
    ws.close();
  });

  it('pushes Studio events to every connected page', async () => {
    const a = await connect();
    const b = await connect({ origin: `http://localhost:${host.port}` });
    const got = Promise.all([nextFrame(a), nextFrame(b)]);
    events.emit({ type: 'badge', count: 3 });
    expect(await got).toEqual([{ event: { type: 'badge', count: 3 } }, { event: { type: 'badge', count: 3 } }]);
    a.close();
    b.close();
  });

  it('refuses the socket to a page from another origin', async () => {
    await expect(connect({ origin: 'https://evil.example.com' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: 'null' })).rejects.toThrow('HTTP 403');
  });

  it('refuses the socket without the right key', async () => {
    await expect(connect({ key: 'guess' })).rejects.toThrow('HTTP 403');
    await expect(connect({ key: '' })).rejects.toThrow('HTTP 403');
  });

  it('refuses the socket when the Host header is not loopback', async () => {
    await expect(connect({ host: `evil.example.com:${host.port}` })).rejects.toThrow('HTTP 403');
  });

  it('says plainly when the renderer has not been built', async () => {
    const other = await startBrowserHost({ dispatcher: createDispatcher({} as StudioHandlers), events, rendererDir: join(dir, 'missing') });
    try {
      const r = await new Promise<{ status: number; body: string }>((resolve) => {
        request({ host: '127.0.0.1', port: other.port, path: '/' }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        }).end();
      });
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build');
    } finally {
      await other.close();
    }
  });
});
