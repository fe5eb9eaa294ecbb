import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../protocol/clock.js';
import { LIMITS } from '../../protocol/limits.js';
import {
  DESIGNER_PROTOCOL_VERSION,
  DesignerServerFrame,
  designerMethods,
  type BotInfo,
  type DesignerError,
  type DesignerMethod,
  type DesignerParams,
  type DesignerResult,
  type EventEnvelope,
} from '../../protocol/designer-wire.js';
import type { ConversationSummary, DesignerRef } from '../../protocol/conversation.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../../protocol/backoff.js';
import { AppError } from '../../protocol/errors.js';
import type { Log } from '../log.js';
import type { LinkRequestError } from './link-error.js';

/** `closed`: Studio shut the link down on purpose (quit, or a switch to another Platform). */
export type LinkStatus = 'connecting' | 'online' | 'reconnecting' | 'unauthorized' | 'closed';

export interface LinkState {
  status: LinkStatus;
  /** While reconnecting: when the next attempt starts (clock ms). */
  retryAt?: number;
  /** Plain words on the last failure. */
  lastError?: string;
}

export interface Welcome {
  designer: DesignerRef;
  bots: BotInfo[];
  serverTime: number;
}

export interface Snapshot {
  bot: string;
  lastEventId: number;
  conversations: ConversationSummary[];
}

/** What the link tells its owner. Events arrive in order, each exactly once per Studio run. */
export interface LinkListener {
  status?(state: LinkState): void;
  welcome?(welcome: Welcome): void;
  snapshot?(snapshot: Snapshot): void;
  event?(envelope: EventEnvelope): void;
  synced?(bot: string, lastEventId: number): void;
}

export interface PlatformLinkOptions {
  /** The Platform's base URL, http(s)://host:port[/prefix]. */
  url: string;
  token: string;
  clock: Clock;
  random: () => number;
  /** Client ids for requests: unique per designer (the Platform's at-most-once key). */
  newId: () => string;
  backoff?: BackoffPolicy;
  /** How often to ping the Platform. */
  heartbeatMs?: number;
  /** How long a ping may go unanswered before the connection counts as dead. */
  deadPeerMs?: number;
  /** How long a read (non-mutating request) waits for a connection and an answer, retries included. */
  requestTimeoutMs?: number;
  /**
   * How long a mutating request (a reply, a Bot active change) waits, across reconnects and retries, before it is
   * reported as failed: longer than a read, because it is queued while offline, but never forever.
   */
  mutatingTimeoutMs?: number;
  /** Most requests waiting at once; more are refused rather than piling up while offline. */
  maxQueued?: number;
  /** Studio's pino logger (failures logged as `{ err }`, keeping stacks). */
  logger?: Log;
}

interface Pending {
  id: string;
  method: DesignerMethod;
  params: unknown;
  mutating: boolean;
  resolve(result: unknown): void;
  reject(error: LinkRequestError): void;
  /** The connection this request was last written to; re-sent on each new connection until answered. */
  sentOn: number;
  deadline: TimerHandle;
  /** Refused with a retry-after: sent again when this fires (not on a reconnect before). */
  retryTimer?: TimerHandle;
  /** Times the Platform asked it to come back later. */
  retries: number;
}

/** The Platform's designer WebSocket path, under the base URL (which may carry a path prefix). */
export function designerSocketUrl(base: string): string {
  const u = new URL(base.endsWith('/') ? base : base + '/');
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return new URL('ws/designer', u).toString();
}

/**
 * Studio's connection to one Platform (DESIGN.md section 4): authenticates with the designer token, keeps the link
 * alive with pings, reconnects with backoff and jitter, resumes each bot from the last event id it saw (so every
 * event arrives once, in order, across reconnects), and carries requests. Mutating requests stay queued and are
 * re-sent on every new connection until the Platform answers: their client id makes the retry safe. A refusal with a
 * retry-after is sent again after that wait; every request has a deadline, after which it fails visibly.
 */
export class PlatformLink {
  private readonly opts: Required<Omit<PlatformLinkOptions, 'logger'>> & Pick<PlatformLinkOptions, 'logger'>;
  private state: LinkState = { status: 'connecting' };
  private socket: WebSocket | undefined;
  /** Connection counter; 0 = none yet. */
  private connection = 0;
  private failures = 0;
  private readonly lastEventIds = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<LinkListener>();
  private retryTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;
  private deadPeerTimer: TimerHandle | undefined;
  private welcomed = false;
  private started = false;

  constructor(options: PlatformLinkOptions) {
    this.opts = {
      backoff: DEFAULT_BACKOFF,
      heartbeatMs: 15_000,
      deadPeerMs: 10_000,
      requestTimeoutMs: 30_000,
      mutatingTimeoutMs: 5 * 60_000,
      maxQueued: 1_000,
      ...options,
    };
  }

  get current(): LinkState {
    return this.state;
  }

  get url(): string {
    return this.opts.url;
  }

  /** The last event id seen per bot: what the next `hello` resumes from. */
  resumePoints(): Record<string, number> {
    return Object.fromEntries(this.lastEventIds);
  }

  subscribe(listener: LinkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  /** Stops for good: no more reconnects; whatever still waits is refused with `closed`. */
  close(): void {
    if (this.state.status === 'closed') return;
    this.clearTimers();
    this.rejectAll(new AppError('closed', 'Studio closed its link to the Platform.'));
    const s = this.socket;
    this.socket = undefined;
    s?.removeAllListeners();
    s?.on('error', () => undefined);
    s?.terminate();
    this.setState({ status: 'closed' });
  }

  /**
   * Sends a request and resolves with its validated result. Every request has a deadline: reads wait up to
   * `requestTimeoutMs` (for a connection and the answer), mutating requests up to `mutatingTimeoutMs`, across
   * reconnects. A refusal with a retry-after (`rate_limited`) is sent again after that wait, within the deadline.
   */
  request<M extends DesignerMethod>(method: M, params: DesignerParams<M>): Promise<DesignerResult<M>> {
    const status = this.state.status;
    if (status === 'closed') return Promise.reject(new AppError('closed', 'Studio closed its link to the Platform.'));
    if (status === 'unauthorized') return Promise.reject(this.unauthorizedError());
    if (this.pending.size >= this.opts.maxQueued) {
      return Promise.reject(new AppError('queue_full', `More than ${this.opts.maxQueued} requests are waiting for the Platform; try again when it is reachable.`));
    }
    const spec = designerMethods[method];
    return new Promise<DesignerResult<M>>((resolve, reject) => {
      const id = this.opts.newId();
      const p: Pending = {
        id,
        method,
        params,
        mutating: spec.mutating,
        resolve: resolve as (r: unknown) => void,
        reject,
        sentOn: 0,
        retries: 0,
        deadline: this.opts.clock.setTimeout(() => this.expire(id), spec.mutating ? this.opts.mutatingTimeoutMs : this.opts.requestTimeoutMs),
      };
      this.pending.set(p.id, p);
      if (this.welcomed) this.send(p);
    });
  }

  /** The deadline passed: the request fails visibly instead of waiting forever. */
  private expire(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.retryTimer) this.opts.clock.clearTimeout(p.retryTimer);
    const online = this.state.status === 'online';
    if (!online) {
      p.reject(new AppError('offline', `Studio is not connected to the Platform. (${p.method})`));
      return;
    }
    const why = p.retries > 0 ? `The Platform was too busy to take it (asked to wait ${p.retries} times).` : 'The Platform did not answer in time.';
    // A mutating request already written may still arrive and be applied: the designer must look, not assume.
    const maybe = p.mutating && p.sentOn !== 0 && p.retryTimer === undefined ? ' It may still be applied: check the conversation before trying again.' : '';
    p.reject(new AppError('timeout', `${why}${maybe} (${p.method})`, { details: { method: p.method, retries: p.retries } }));
  }

  /**
   * The Platform refused without applying it and said when to come back: send the same request (same id, so still
   * at most once) after that wait. Not on a reconnect before: the wait is the Platform's, not the connection's.
   * Requests refused together are all told the same wait; a random extra wait that doubles with each refusal spreads
   * them out, so they do not all come back at once only to be refused again.
   */
  private retryLater(p: Pending, retryAfterMs: number): void {
    p.retries += 1;
    p.sentOn = 0;
    const delay = retryAfterMs + backoffDelay(p.retries, { baseMs: Math.max(retryAfterMs, 100), capMs: 30_000 }, this.opts.random);
    this.opts.logger?.warn({ method: p.method, retryAfterMs, delay, retries: p.retries }, 'the Platform asked to retry a request later');
    p.retryTimer = this.opts.clock.setTimeout(() => {
      p.retryTimer = undefined;
      if (this.welcomed) this.send(p);
    }, delay);
  }

  private unauthorizedError(): LinkRequestError {
    return new AppError('unauthorized', 'The Platform refused the designer token. Enter a valid token in Studio.');
  }

  private connect(): void {
    this.retryTimer = undefined;
    this.welcomed = false;
    const number = ++this.connection;
    let httpStatus: number | undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(designerSocketUrl(this.opts.url), {
        headers: { Authorization: `Bearer ${this.opts.token}` },
        handshakeTimeout: 15_000,
        // The Platform's frames are bounded by the same limit; a snapshot of many conversations needs more.
        maxPayload: LIMITS.frameBytes * 256,
        perMessageDeflate: false,
      });
    } catch (error) {
      // A URL that cannot even be parsed will not get better by retrying.
      this.opts.logger?.warn({ err: error }, 'cannot open designer socket');
      this.setState({ status: 'reconnecting', lastError: `the address cannot be used: ${(error as Error).message}` });
      this.scheduleReconnect();
      return;
    }
    this.socket = ws;
    ws.on('unexpected-response', (_req, res) => {
      httpStatus = res.statusCode;
      ws.terminate();
    });
    ws.on('open', () => {
      this.sendFrame({ type: 'hello', protocol: DESIGNER_PROTOCOL_VERSION, resume: this.resumePoints() });
      this.startHeartbeat(ws);
    });
    ws.on('pong', () => this.clearDeadPeer());
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString(), number));
    ws.on('error', (error) => {
      if (httpStatus === undefined) this.state = { ...this.state, lastError: describeSocketError(error) };
    });
    ws.on('close', () => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      this.welcomed = false;
      this.stopHeartbeat();
      if (httpStatus === 401 || httpStatus === 403) {
        this.setState({ status: 'unauthorized', lastError: `The Platform refused the designer token (HTTP ${httpStatus}).` });
        this.rejectAll(this.unauthorizedError());
        return;
      }
      // Every pending request (read or mutating) is re-sent after the next welcome; reads keep their deadline.
      const lastError = httpStatus !== undefined ? `The Platform answered HTTP ${httpStatus} instead of opening the designer connection.` : this.state.lastError;
      this.scheduleReconnect(lastError);
    });
  }

  private scheduleReconnect(lastError = this.state.lastError): void {
    if (this.state.status === 'closed' || this.state.status === 'unauthorized') return;
    const delay = backoffDelay(this.failures++, this.opts.backoff, this.opts.random);
    const retryAt = this.opts.clock.now() + delay;
    this.setState({ status: 'reconnecting', retryAt, lastError: lastError ?? 'The connection to the Platform was lost.' });
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.setState({ status: 'reconnecting', lastError: this.state.lastError });
      this.connect();
    }, delay);
  }

  private onMessage(text: string, connection: number): void {
    if (connection !== this.connection) return;
    let frame: DesignerServerFrame;
    try {
      const parsed = DesignerServerFrame.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      frame = parsed.data;
    } catch (error) {
      // A frame we cannot use is dropped; the connection stays, as the Platform does with ours.
      this.opts.logger?.warn({ err: error, frame: text.slice(0, 200) }, 'dropped a frame from the Platform that does not fit the designer protocol');
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.failures = 0;
        this.welcomed = true;
        this.setState({ status: 'online' });
        this.emit((l) => l.welcome?.({ designer: frame.designer, bots: frame.bots, serverTime: frame.serverTime }));
        for (const p of this.pending.values()) if (!p.retryTimer) this.send(p);
        return;
      case 'snapshot':
        this.lastEventIds.set(frame.bot, frame.lastEventId);
        this.emit((l) => l.snapshot?.({ bot: frame.bot, lastEventId: frame.lastEventId, conversations: frame.conversations }));
        return;
      case 'synced':
        this.lastEventIds.set(frame.bot, Math.max(frame.lastEventId, this.lastEventIds.get(frame.bot) ?? 0));
        this.emit((l) => l.synced?.(frame.bot, frame.lastEventId));
        return;
      case 'event': {
        const last = this.lastEventIds.get(frame.bot);
        if (last !== undefined && frame.id <= last) return; // already seen (replay overlap): exactly once
        if (last !== undefined && frame.id > last + 1) {
          // A hole means something was lost on the way: reconnect and let the Platform replay from `last`.
          this.opts.logger?.warn({ bot: frame.bot, last, got: frame.id }, 'event id gap; resyncing');
          this.socket?.terminate();
          return;
        }
        this.lastEventIds.set(frame.bot, frame.id);
        const { type: _type, ...envelope } = frame;
        this.emit((l) => l.event?.(envelope));
        return;
      }
      case 'response':
        this.onResponse(frame.id, frame.ok, frame.result, frame.error);
        return;
      case 'error':
        this.opts.logger?.warn({ code: frame.error.code, message: frame.error.message }, 'the Platform reported an error');
        return;
    }
  }

  private onResponse(id: string, ok: boolean, result: unknown, error: DesignerError | undefined): void {
    const p = this.pending.get(id);
    if (!p) return; // answer to a request whose deadline already passed
    const retryAfterMs = !ok ? retryAfterOf(error) : undefined;
    if (retryAfterMs !== undefined) return this.retryLater(p, retryAfterMs);
    this.pending.delete(id);
    this.opts.clock.clearTimeout(p.deadline);
    if (!ok) {
      p.reject(new AppError(error?.code ?? 'internal', error?.message ?? 'The Platform refused the request without saying why.', error?.details ? { details: error.details } : {}));
      return;
    }
    const parsed = designerMethods[p.method].result.safeParse(result);
    if (!parsed.success) {
      p.reject(new AppError('bad_response', `The Platform's answer to ${p.method} does not fit the designer protocol: ${parsed.error.issues[0]?.message ?? ''}`));
      return;
    }
    p.resolve(parsed.data);
  }

  private send(p: Pending): void {
    if (p.sentOn === this.connection) return;
    p.sentOn = this.connection;
    this.sendFrame({ type: 'request', id: p.id, method: p.method, params: p.params });
  }

  private sendFrame(frame: object): void {
    const ws = this.socket;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  private rejectAll(error: LinkRequestError): void {
    for (const p of this.pending.values()) {
      this.opts.clock.clearTimeout(p.deadline);
      if (p.retryTimer) this.opts.clock.clearTimeout(p.retryTimer);
      p.reject(error);
    }
    this.pending.clear();
  }

  private startHeartbeat(ws: WebSocket): void {
    this.stopHeartbeat();
    const beat = () => {
      if (this.socket !== ws || ws.readyState !== WebSocket.OPEN) return;
      ws.ping();
      if (!this.deadPeerTimer) {
        this.deadPeerTimer = this.opts.clock.setTimeout(() => {
          this.deadPeerTimer = undefined;
          this.opts.logger?.warn({}, 'the Platform stopped answering pings; reconnecting');
          this.state = { ...this.state, lastError: 'The Platform stopped answering.' };
          ws.terminate();
        }, this.opts.deadPeerMs);
      }
      this.heartbeatTimer = this.opts.clock.setTimeout(beat, this.opts.heartbeatMs);
    };
    this.heartbeatTimer = this.opts.clock.setTimeout(beat, this.opts.heartbeatMs);
  }

  private clearDeadPeer(): void {
    if (this.deadPeerTimer) this.opts.clock.clearTimeout(this.deadPeerTimer);
    this.deadPeerTimer = undefined;
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) this.opts.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.clearDeadPeer();
  }

  private clearTimers(): void {
    this.stopHeartbeat();
    if (this.retryTimer) this.opts.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(next: LinkState): void {
    this.state = next;
    this.emit((l) => l.status?.(next));
  }

  private emit(call: (l: LinkListener) => void): void {
    for (const l of this.listeners) {
      try {
        call(l);
      } catch (error) {
        // One broken listener must not stop the link or the other listeners.
        this.opts.logger?.error({ err: error }, 'a link listener threw');
      }
    }
  }
}

/** How long the Platform asked to wait before the same request may be sent again; undefined: not retryable. */
function retryAfterOf(error: DesignerError | undefined): number | undefined {
  if (error?.code !== 'rate_limited') return undefined;
  const ms = error.retryAfterMs ?? error.details?.['retryAfterMs'];
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

// Shown next to the Platform's address (the banner names it), so the address is not repeated here.
function describeSocketError(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'nothing answers there';
  if (error.code === 'ENOTFOUND') return 'its host name is unknown';
  if (error.code === 'ETIMEDOUT' || error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH') return 'it cannot be reached from this computer';
  return `the connection failed: ${error.message}`;
}
