import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { ChatMessage, ChatServerFrame } from '../../../../protocol/chat-wire.js';
import type { DesignerMethod, DesignerParams, DesignerResult, DesignerServerFrame, EventEnvelope } from '../../../../protocol/designer-wire.js';

/** Collects every frame a socket receives and lets a test wait for the one it expects. */
class FrameLog<F> {
  readonly frames: F[] = [];
  private waiters: Array<{ test: (f: F) => boolean; resolve: (f: F) => void }> = [];

  push(frame: F): void {
    this.frames.push(frame);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(frame)) return true;
      w.resolve(frame);
      return false;
    });
  }

  /** The first frame (already received or still to come) that passes `test`, after `from` frames. */
  waitFor<T extends F = F>(test: (f: F) => boolean, what: string, timeoutMs = 5_000, from = 0): Promise<T> {
    const seen = this.frames.slice(from).find(test);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames.slice(-5))}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as T);
        },
      });
    });
  }
}

export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused with ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/**
 * Tries a WebSocket upgrade: 101 and the socket when it opens, else the refusal's status, `Retry-After` and body. Every
 * socket it opens goes into `opened`, for the test to close.
 */
export function tryUpgrade(url: string, o: { opened: WebSocket[]; localAddress?: string; headers?: Record<string, string> }) {
  return new Promise<{ status: number; ws?: WebSocket; retryAfter?: string; body?: string }>((resolve, reject) => {
    const ws = new WebSocket(url, { headers: o.headers ?? {}, ...(o.localAddress ? { localAddress: o.localAddress } : {}) });
    ws.once('open', () => {
      o.opened.push(ws);
      resolve({ status: 101, ws });
    });
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body });
      });
    });
    ws.once('error', reject);
  });
}

/** Resolves with the close code and reason. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve({ code: 1006, reason: '' });
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

let requestCounter = 0;

/** A designer on the real WebSocket, as Studio's main process would be. */
export class DesignerClient {
  readonly log = new FrameLog<DesignerServerFrame>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.log.push(JSON.parse(data.toString()) as DesignerServerFrame));
  }

  /** Connects and says hello with `resume` (null: connect without hello). */
  static async connect(baseUrl: string, token: string, resume: Record<string, number> | null = {}): Promise<DesignerClient> {
    const ws = await openSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/designer`, { Authorization: `Bearer ${token}` });
    const client = new DesignerClient(ws);
    if (resume) await client.hello(resume);
    return client;
  }

  /** hello, then wait until every bot is synced. */
  async hello(resume: Record<string, number>): Promise<Extract<DesignerServerFrame, { type: 'welcome' }>> {
    const from = this.log.frames.length;
    this.ws.send(JSON.stringify({ type: 'hello', protocol: 1, resume }));
    const welcome = await this.log.waitFor<Extract<DesignerServerFrame, { type: 'welcome' }>>((f) => f.type === 'welcome', 'welcome', 5_000, from);
    for (const bot of welcome.bots) await this.log.waitFor((f) => f.type === 'synced' && f.bot === bot.name, `synced ${bot.name}`, 5_000, from);
    return welcome;
  }

  async request<M extends DesignerMethod>(method: M, params: DesignerParams<M>, id = `req-${++requestCounter}-${randomBytes(4).toString('hex')}`): Promise<DesignerResult<M>> {
    const response = await this.rawRequest(method, params, id);
    if (!response.ok) throw Object.assign(new Error(response.error?.message ?? 'request failed'), { code: response.error?.code, details: response.error?.details });
    return response.result as DesignerResult<M>;
  }

  /** `request`, waiting and asking again while the Platform's rate limit refuses it (a test that just sent thousands). */
  async requestWhenAllowed<M extends DesignerMethod>(method: M, params: DesignerParams<M>): Promise<DesignerResult<M>> {
    for (;;) {
      const response = await this.rawRequest(method, params);
      if (response.ok) return response.result as DesignerResult<M>;
      if (response.error?.code !== 'rate_limited') throw Object.assign(new Error(response.error?.message ?? 'request failed'), { code: response.error?.code });
      await new Promise((r) => setTimeout(r, response.error?.retryAfterMs ?? 50));
    }
  }

  async rawRequest(method: string, params: unknown, id = `req-${++requestCounter}-${randomBytes(4).toString('hex')}`): Promise<Extract<DesignerServerFrame, { type: 'response' }>> {
    const from = this.log.frames.length;
    this.ws.send(JSON.stringify({ type: 'request', id, method, params }));
    return this.log.waitFor((f) => f.type === 'response' && f.id === id, `response ${id}`, 5_000, from);
  }

  events(bot?: string): EventEnvelope[] {
    return this.log.frames.filter((f): f is Extract<DesignerServerFrame, { type: 'event' }> => f.type === 'event' && (!bot || f.bot === bot));
  }

  waitForEvent(test: (e: EventEnvelope) => boolean, what: string, timeoutMs = 5_000): Promise<EventEnvelope> {
    return this.log.waitFor<Extract<DesignerServerFrame, { type: 'event' }>>((f) => f.type === 'event' && test(f), what, timeoutMs);
  }

  close(): Promise<{ code: number; reason: string }> {
    const done = closed(this.ws);
    this.ws.close();
    return done;
  }
}

export const newSessionKey = () => randomBytes(18).toString('base64url');

/** An end user on the chat WebSocket, as the Landing Page or the widget would be. */
export class ChatClient {
  readonly log = new FrameLog<ChatServerFrame>();
  private counter = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly session: string,
  ) {
    ws.on('message', (data) => this.log.push(JSON.parse(data.toString()) as ChatServerFrame));
  }

  static async connect(baseUrl: string, bot = 'starter', o: { session?: string; origin?: string; lastSeq?: number; channel?: 'landing' | 'widget' } = {}): Promise<ChatClient> {
    const headers: Record<string, string> = {};
    if (o.origin) headers.Origin = o.origin;
    const ws = await openSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/chat?bot=${bot}`, headers);
    const client = new ChatClient(ws, o.session ?? newSessionKey());
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, bot, channel: o.channel ?? 'landing', session: client.session, lastSeq: o.lastSeq ?? 0 }));
    await client.log.waitFor((f) => f.type === 'welcome', 'welcome');
    return client;
  }

  get welcome(): Extract<ChatServerFrame, { type: 'welcome' }> {
    return this.log.frames.find((f) => f.type === 'welcome') as Extract<ChatServerFrame, { type: 'welcome' }>;
  }

  /** Sends a message and waits until the Platform has stored it (its echo with our client id). */
  async say(text: string, clientId = `m${++this.counter}-${randomBytes(3).toString('hex')}`): Promise<ChatMessage> {
    this.ws.send(JSON.stringify({ type: 'send', clientId, text }));
    const frame = await this.log.waitFor<Extract<ChatServerFrame, { type: 'message' }>>(
      (f) => (f.type === 'message' && f.message.clientId === clientId) || (f.type === 'error' && f.clientId === clientId),
      `stored ${clientId}`,
    );
    if ((frame as ChatServerFrame).type === 'error') throw Object.assign(new Error((frame as unknown as { message: string }).message), { frame });
    return frame.message;
  }

  /** Every message shown, in arrival order (welcome history first). */
  messages(): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const f of this.log.frames) {
      if (f.type === 'welcome') out.push(...f.messages);
      if (f.type === 'message') out.push(f.message);
    }
    return out;
  }

  waitForMessage(test: (m: ChatMessage) => boolean, what: string, timeoutMs = 5_000): Promise<ChatMessage> {
    return this.log
      .waitFor<Extract<ChatServerFrame, { type: 'message' }>>((f) => f.type === 'message' && test(f.message), what, timeoutMs)
      .then((f) => f.message);
  }

  close(): Promise<{ code: number; reason: string }> {
    const done = closed(this.ws);
    this.ws.close();
    return done;
  }
}
