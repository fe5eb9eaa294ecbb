import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ZodError } from 'zod';
import type { Clock } from '../../protocol/clock.js';
import type { DesignerRef } from '../../protocol/conversation.js';
import {
  DESIGNER_PROTOCOL_VERSION,
  DesignerClientFrame,
  designerMethods,
  type DesignerError,
  type DesignerErrorCode,
  type DesignerMethod,
  type DesignerServerFrame,
  type EventEnvelope,
} from '../../protocol/designer-wire.js';
import { LIMITS } from '../../protocol/limits.js';
import type { EventHub } from '../conversations/event-hub.js';
import { RuleError } from '../conversations/rule-errors.js';
import type { DesignerAccounts } from '../designers/designer-accounts.js';
import { closeWithin } from '../http/close-within.js';
import { refuseUpgrade } from '../http/upgrade-refusal.js';
import { MemoryRateLimit } from '../limits/memory-rate-limit.js';
import type { RateLimit } from '../limits/rate-limit.js';
import { requestIdOf } from './request-id.js';
import { botInfos, designerHandlers, type DesignerMethodDeps } from './designer-methods.js';
import type { StorageTx } from '../storage/storage.js';

export interface DesignerGatewayOptions extends DesignerMethodDeps {
  accounts: DesignerAccounts;
  hub: EventHub;
  clock: Clock;
  logger: Logger;
  /** Missed events replayed on resume before a snapshot is cheaper. */
  maxReplay?: number;
  /** Conversations in a snapshot (the rest are reachable with conversation.list). */
  snapshotSize?: number;
  /** Frames per designer (not per socket: reconnecting does not refill it). */
  rate?: { burst: number; perSecond: number };
  /** Where those allowances live; in memory by default (a cluster shares one). */
  rateLimit?: RateLimit;
  /** Heartbeat interval (real time: network liveness, not business time). */
  heartbeatMs?: number;
}

/** A designer whose socket has this much unsent data is too slow to follow live: they reconnect and resume. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

interface Connection {
  socket: WebSocket;
  /** The TCP stream under `socket` (the one the upgrade came on; ws writes to it), corked to batch writes. */
  stream: Duplex;
  /** The TCP socket is corked until the end of this tick (see `send`). */
  corked: boolean;
  designer: DesignerRef;
  synced: boolean;
  /** A hello arrived (its answer may still be on the way): the first hello is never rate-limited. */
  helloSeen: boolean;
  /** While a hello replays: live events wait here, and those the replay or snapshot already covers are dropped. */
  pendingEvents?: EventEnvelope[];
  /** This connection's work, one frame after the other: requests are answered in the order they came. */
  work: Promise<void>;
  alive: boolean;
}

/**
 * WebSocket `/ws/designer` (protocol/designer-wire.ts): token on the upgrade, hello -> welcome -> replay or snapshot
 * -> synced per bot, then live events; requests validated at the edge, mutating ones applied at most once.
 */
export class DesignerGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.frameBytes * 16, perMessageDeflate: false, clientTracking: false });
  private readonly connections = new Set<Connection>();
  private readonly handlers: ReturnType<typeof designerHandlers>;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly rateLimit: RateLimit;

  constructor(private readonly o: DesignerGatewayOptions) {
    this.rateLimit = o.rateLimit ?? new MemoryRateLimit(o.clock, o.rate ?? { burst: 200, perSecond: 100 }, 10_000);
    this.handlers = designerHandlers(o);
    this.unsubscribe = o.hub.subscribe((envelope) => this.broadcast(envelope));
    this.heartbeat = setInterval(() => this.ping(), o.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const auth = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    const lookup = match ? this.o.accounts.authenticate(match[1]!) : Promise.resolve(undefined);
    lookup.then(
      (designer) => {
        if (!designer) {
          this.o.logger.warn({ remote: req.socket.remoteAddress }, 'designer connection refused: missing or wrong token');
          refuseUpgrade(socket, 401, match ? 'This designer token is not valid.' : 'A designer token is required: Authorization: Bearer <token>.', {
            'WWW-Authenticate': 'Bearer realm="Live Training Platform"',
          });
          return;
        }
        if (socket.destroyed) return;
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, { id: designer.id, name: designer.name }));
      },
      (error: unknown) => {
        this.o.logger.error({ err: error }, 'could not check a designer token');
        refuseUpgrade(socket, 503, 'The Platform cannot check designer tokens right now: try again in a moment.', { 'Retry-After': '5' });
      },
    );
  }

  /** Closes every designer socket with a reason (graceful shutdown). */
  close(code = 1001, reason = 'Platform shutting down'): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    closeWithin([...this.connections].map((c) => c.socket), code, reason);
    this.connections.clear();
    this.wss.close();
  }

  private accept(socket: WebSocket, stream: Duplex, designer: DesignerRef): void {
    const c: Connection = { socket, stream, designer, corked: false, synced: false, helloSeen: false, work: Promise.resolve(), alive: true };
    this.connections.add(c);
    this.o.logger.info({ designer: designer.id }, 'designer connected');
    socket.on('pong', () => (c.alive = true));
    socket.on('message', (data, isBinary) => this.onFrame(c, data, isBinary));
    socket.on('close', () => {
      this.connections.delete(c);
      this.o.logger.info({ designer: designer.id }, 'designer disconnected');
    });
    socket.on('error', (error) => this.o.logger.warn({ designer: designer.id, err: error }, 'designer socket error'));
  }

  private send(c: Connection, frame: DesignerServerFrame | string): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    if (c.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.o.logger.warn({ designer: c.designer.id }, 'designer too slow to follow: closing so it resumes');
      c.socket.close(1013, 'Too far behind: reconnect and resume');
      return;
    }
    this.cork(c);
    c.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * A group commit releases many events at once; corking the designer's TCP stream until the end of the tick sends
   * them in one write instead of one system call per frame (the largest cost in profiles under load). The stream is
   * the one the upgrade arrived on, which ws writes every frame to.
   */
  private cork(c: Connection): void {
    if (c.corked) return;
    c.stream.cork();
    c.corked = true;
    process.nextTick(() => {
      c.corked = false;
      c.stream.uncork();
    });
  }

  private error(c: Connection, code: DesignerErrorCode, message: string, details?: Record<string, unknown>): void {
    const error: DesignerError = { code, message };
    if (details) error.details = details;
    this.send(c, { type: 'error', error });
  }

  private onFrame(c: Connection, data: RawData, isBinary: boolean): void {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (size > LIMITS.frameBytes) return this.error(c, 'too_large', `a frame is at most ${LIMITS.frameBytes} bytes; this one had ${size}`);
    if (isBinary) return this.error(c, 'bad_frame', 'frames are JSON text, not binary');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return this.error(c, 'bad_frame', 'a frame must be JSON');
    }
    // A connection's first hello is never refused: without its welcome the link could not even hear a refusal.
    const firstHello = !c.helloSeen && (json as { type?: unknown } | null)?.type === 'hello';
    const allowed = firstHello ? ({ ok: true } as const) : this.rateLimit.take(c.designer.id);
    if (!allowed.ok) {
      // A refused request is answered as itself, so the caller's promise settles and it can retry it: it was not
      // applied, so a retry with the same id is safe even for a mutating method.
      const message = `too many requests: try again in ${allowed.retryAfterMs} ms`;
      const id = requestIdOf(json);
      // In order with the answers to the requests before it.
      if (id) return this.later(c, () => this.respondError(c, id, 'rate_limited', message, { retryAfterMs: allowed.retryAfterMs }, allowed.retryAfterMs));
      return this.error(c, 'rate_limited', message, { retryAfterMs: allowed.retryAfterMs });
    }
    const parsed = DesignerClientFrame.safeParse(json);
    if (!parsed.success) {
      const id = requestIdOf(json);
      const message = `not a designer frame: ${describeZod(parsed.error)}`;
      // A request we can identify gets its answer as a response, so the caller's promise settles.
      if (id && (json as { type?: unknown }).type === 'request') return this.later(c, () => this.respondError(c, id, 'bad_frame', message));
      return this.error(c, 'bad_frame', message);
    }
    const frame = parsed.data;
    if (frame.type === 'hello') {
      c.helloSeen = true;
      return this.later(c, () => this.hello(c, frame.resume));
    }
    this.later(c, () => (c.synced ? this.request(c, frame.id, frame.method, frame.params) : this.respondError(c, frame.id, 'not_ready', 'send hello first')));
  }

  /** Queues work of this connection behind its earlier work. */
  private later(c: Connection, work: () => Promise<void> | void): void {
    c.work = c.work.then(work).catch((error: unknown) => this.o.logger.error({ err: error, designer: c.designer.id }, 'designer connection work failed'));
  }

  /**
   * Welcome, then per bot the missed events (or a snapshot), then live. Live events are held from the start of the
   * hello and sent after the replay unless the replay or snapshot covered them (ids up to what `synced` says), so the
   * designer gets every event exactly once, in order, however the reads and commits interleave.
   */
  private async hello(c: Connection, resume: Record<string, number>): Promise<void> {
    const { storage, history, clock } = this.o;
    c.synced = false;
    c.pendingEvents = [];
    try {
      const bots = await botInfos(this.o);
      this.send(c, { type: 'welcome', protocol: DESIGNER_PROTOCOL_VERSION, designer: c.designer, serverTime: clock.now(), bots });
      const maxReplay = this.o.maxReplay ?? 5_000;
      const covered = new Map<string, number>();
      for (const bot of bots) {
        const last = bot.lastEventId;
        const seen = resume[bot.name];
        const replayable = seen !== undefined && seen <= last && last - seen <= maxReplay && seen >= (await storage.oldestEventId(bot.name)) - 1;
        if (replayable) {
          if (last > seen) for (const envelope of await storage.eventsAfter(bot.name, seen, last - seen)) this.send(c, eventFrame(envelope));
        } else {
          this.send(c, { type: 'snapshot', bot: bot.name, lastEventId: last, conversations: await history.recent(bot.name, this.o.snapshotSize ?? 200) });
        }
        this.send(c, { type: 'synced', bot: bot.name, lastEventId: last });
        covered.set(bot.name, last);
      }
      const pending = c.pendingEvents;
      c.pendingEvents = undefined;
      c.synced = true;
      for (const envelope of pending) if (envelope.id > (covered.get(envelope.bot) ?? 0)) this.send(c, eventFrame(envelope));
    } catch (error) {
      c.pendingEvents = undefined;
      this.o.logger.error({ err: error, designer: c.designer.id }, 'could not resume a designer');
      this.error(c, 'internal', 'the Platform could not read what you missed; reconnect to try again');
      c.socket.close(1011, 'Resume failed: reconnect');
    }
  }

  private async request(c: Connection, id: string, method: string, rawParams: unknown): Promise<void> {
    if (!Object.hasOwn(designerMethods, method)) return this.respondError(c, id, 'unknown_method', `no method ${method}`);
    const spec = designerMethods[method as DesignerMethod];
    const params = spec.params.safeParse(rawParams ?? {});
    if (!params.success) {
      const tooLong = params.error.issues.some((i) => i.code === 'too_big');
      return this.respondError(c, id, tooLong ? 'too_large' : 'invalid_params', describeZod(params.error));
    }
    const handler = this.handlers[method as DesignerMethod] as (d: DesignerRef, p: unknown, tx: StorageTx | undefined) => Promise<unknown>;
    try {
      const result = spec.mutating ? await this.once(c.designer, id, method, (tx) => handler(c.designer, params.data, tx)) : await handler(c.designer, params.data, undefined);
      // Acknowledged once committed, after the events the command caused (they went out at the commit).
      this.send(c, { type: 'response', id, ok: true, result });
    } catch (error) {
      if (RuleError.is(error)) {
        const code: DesignerErrorCode = error.code === 'invalid' ? 'invalid_params' : error.code === 'conversation_full' ? 'too_large' : error.code;
        return this.respondError(c, id, code, error.message, error.details);
      }
      if (error instanceof ZodError) return this.respondError(c, id, 'invalid_params', describeZod(error));
      this.o.logger.error({ err: error, method, designer: c.designer.id }, 'designer request failed');
      this.respondError(c, id, 'internal', 'the Platform could not do this; it is logged');
    }
  }

  /**
   * At most once per (designer, client id): the first result is stored in the same transaction as the change it
   * reports, so a retry after a lost acknowledgement (or a Platform restart) gets that result and changes nothing.
   */
  private async once(designer: DesignerRef, clientId: string, method: string, apply: (tx: StorageTx) => Promise<unknown>): Promise<unknown> {
    const { storage, clock } = this.o;
    const earlierResult = (earlier: { method: string; result: unknown }) => {
      if (earlier.method !== method) throw RuleError.invalid(`request id ${clientId} was already used for ${earlier.method}`);
      return earlier.result;
    };
    try {
      return await storage.transaction(async (tx) => {
        const earlier = await tx.commandResult(designer.id, clientId);
        if (earlier) return earlierResult(earlier);
        const result = await apply(tx);
        if (!(await tx.recordCommand(designer.id, clientId, method, result, clock.now()))) throw new RetryRecordedFirst();
        return result;
      });
    } catch (error) {
      if (!(error instanceof RetryRecordedFirst)) throw error;
      // A retry of this command committed first (on another instance): this one rolled back, the first one's result answers.
      const earlier = await storage.commandResult(designer.id, clientId);
      if (!earlier) throw new Error(`the result of request ${clientId} was recorded but cannot be read`);
      return earlierResult(earlier);
    }
  }

  private respondError(c: Connection, id: string, code: DesignerErrorCode, message: string, details?: Record<string, unknown>, retryAfterMs?: number): void {
    const error: DesignerError = { code, message };
    if (details) error.details = details;
    if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
    this.send(c, { type: 'response', id, ok: false, error });
  }

  private broadcast(envelope: EventEnvelope): void {
    if (this.connections.size === 0) return;
    const text = JSON.stringify(eventFrame(envelope));
    for (const c of this.connections) {
      if (c.synced) this.send(c, text);
      else c.pendingEvents?.push(envelope);
    }
  }

  private ping(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        this.o.logger.info({ designer: c.designer.id }, 'designer did not answer the heartbeat: dropping');
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }
}

/** Rolls a command back when a concurrent retry of it recorded its result first (at most once). */
class RetryRecordedFirst extends Error {}

function eventFrame(envelope: EventEnvelope): DesignerServerFrame {
  return { type: 'event', ...envelope };
}

function describeZod(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
