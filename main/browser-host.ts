import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { StudioCallFrame, type StudioEvent } from '../protocol/studio-api.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { readRendererFile } from './renderer-files.js';
import type { StudioDispatcher } from './studio-api/dispatcher.js';
import type { StudioEventStream } from './studio-api/event-stream.js';

export interface BrowserHostOptions {
  dispatcher: StudioDispatcher;
  events: StudioEventStream;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The per-run secret the Studio URL carries; random by default. */
  secret?: string;
  logger?: Logger;
}

export interface BrowserHost {
  /** Studio's URL, secret included: what to open in a browser. */
  url: string;
  /** `http://127.0.0.1:PORT`: the only Origin allowed on the Studio API socket. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The largest Studio API call frame accepted. Most calls are small (a reply is at most 2,000 characters); an AIML
 * file imported into the workspace can be 2 MB (Pandorabots' limit for one file), JSON-escaped in one frame.
 */
const MAX_CALL_BYTES = 5 * 1024 * 1024;

/**
 * Browser mode (DESIGN.md section 7): serves the built renderer on loopback and carries the Studio API over a
 * WebSocket at `/studio-api`. Only this machine can reach it (bound to 127.0.0.1); a web page open in the same
 * browser cannot drive it, because the socket requires the page's Origin to be Studio's own and the per-run
 * secret from Studio's URL; the Host header is checked so that DNS rebinding cannot pose as loopback.
 */
export async function startBrowserHost(o: BrowserHostOptions): Promise<BrowserHost> {
  const secret = o.secret ?? randomBytes(24).toString('base64url');
  const secretBytes = Buffer.from(secret);
  const sockets = new Set<WebSocket>();
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = createServer((req, res) => {
    void serveFile(req, res);
  });

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) return plain(res, 421, 'Studio answers only on 127.0.0.1.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Only GET.', { Allow: 'GET, HEAD' });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = await readRendererFile(o.rendererDir, path);
    if (file.status !== 200) return plain(res, file.status, file.message);
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Cache-Control': file.contentType.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CALL_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req);
    if (refusal) {
      o.logger?.warn({ origin: req.headers.origin, url: req.url?.replace(/key=[^&]*/, 'key=…') }, `refused a Studio API connection: ${refusal}`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(refusal)}\r\nConnection: close\r\n\r\n${refusal}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function refuseUpgrade(req: IncomingMessage): string | undefined {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/studio-api') return 'no such endpoint';
    if (!allowedHosts().has(req.headers.host ?? '')) return 'wrong host';
    if (!allowedOrigins().has(req.headers.origin ?? '')) return 'this page is not Studio';
    const key = Buffer.from(url.searchParams.get('key') ?? '');
    if (key.length !== secretBytes.length || !timingSafeEqual(key, secretBytes)) return 'wrong or missing key';
    return undefined;
  }

  function accept(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      void onCall(ws, isBinary ? undefined : data.toString());
    });
  }

  async function onCall(ws: WebSocket, text: string | undefined): Promise<void> {
    let raw: unknown;
    try {
      raw = text === undefined ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const frame = StudioCallFrame.safeParse(raw);
    if (!frame.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' && Number.isInteger((raw as { id: number }).id) ? (raw as { id: number }).id : -1;
      send(ws, { id, ok: false, error: { code: 'bad_frame', message: 'A Studio API call is JSON {id, method, args}.' } });
      return;
    }
    const reply = await o.dispatcher.invoke(frame.data.method, frame.data.args);
    send(ws, { id: frame.data.id, ...reply });
  }

  const unsubscribe = o.events.subscribe((event: StudioEvent) => {
    const text = JSON.stringify({ event });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?key=${encodeURIComponent(secret)}`,
    origin,
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function send(ws: WebSocket, frame: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

function plain(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(message + '\n');
}
