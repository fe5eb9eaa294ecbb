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
  DesignerErrorCode as DesignerErrorCodes,
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
import { AppError, isAppErrorOf } from '../../protocol/errors.js';
import type { LearnedHandlers } from '../training/learned-handlers.js';
import { requestIdOf } from './request-id.js';
import { botInfos, designerHandlers, type DesignerMethodDeps } from './designer-methods.js';

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
  /** The learned-category methods (server/training); asynchronous, at most once by their own operation ids. */
  learned?: LearnedHandlers;
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
    const designer = match ? this.o.accounts.authenticate(match[1]!) : undefined;
    if (!designer) {
      this.o.logger.warn({ remote: req.socket.remoteAddress }, 'designer connection refused: missing or wrong token');
      refuseUpgrade(socket, 401, match ? 'This designer token is not valid.' : 'A designer token is required: Authorization: Bearer <token>.', {
        'WWW-Authenticate': 'Bearer realm="Live Training Platform"',
      });
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, { id: designer.id, name: designer.name }));
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
    const c: Connection = { socket, stream, designer, corked: false, synced: false, alive: true };
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
    const firstHello = !c.synced && (json as { type?: unknown } | null)?.type === 'hello';
    const allowed = firstHello ? ({ ok: true } as const) : this.rateLimit.take(c.designer.id);
    if (!allowed.ok) {
      // A refused request is answered as itself, so the caller's promise settles and it can retry it: it was not
      // applied, so a retry with the same id is safe even for a mutating method.
      const message = `too many requests: try again in ${allowed.retryAfterMs} ms`;
      const id = requestIdOf(json);
      if (id) return this.respondError(c, id, 'rate_limited', message, { retryAfterMs: allowed.retryAfterMs }, allowed.retryAfterMs);
      return this.error(c, 'rate_limited', message, { retryAfterMs: allowed.retryAfterMs });
    }
    const parsed = DesignerClientFrame.safeParse(json);
    if (!parsed.success) {
      const id = requestIdOf(json);
      const message = `not a designer frame: ${describeZod(parsed.error)}`;
      // A request we can identify gets its answer as a response, so the caller's promise settles.
      if (id && (json as { type?: unknown }).type === 'request') return this.respondError(c, id, 'bad_frame', message);
      return this.error(c, 'bad_frame', message);
    }
    const frame = parsed.data;
    if (frame.type === 'hello') return this.hello(c, frame.resume);
    if (!c.synced) return this.respondError(c, frame.id, 'not_ready', 'send hello first');
    this.request(c, frame.id, frame.method, frame.params);
  }

  private hello(c: Connection, resume: Record<string, number>): void {
    const { repo, history, clock } = this.o;
    // Whatever is still waiting for its commit is committed and broadcast first (this designer is not synced yet, so
    // it gets none of it live), and then read back in the replay: once, in order.
    repo.flush();
    const bots = botInfos(this.o);
    // Everything below runs in one synchronous turn: no event can be committed between the replay and going live,
    // so the designer gets every event exactly once.
    this.send(c, { type: 'welcome', protocol: DESIGNER_PROTOCOL_VERSION, designer: c.designer, serverTime: clock.now(), bots });
    const maxReplay = this.o.maxReplay ?? 5_000;
    for (const bot of bots) {
      const last = bot.lastEventId;
      const seen = resume[bot.name];
      const replayable = seen !== undefined && seen <= last && last - seen <= maxReplay && seen >= repo.oldestEventId(bot.name) - 1;
      if (replayable) {
        for (const envelope of repo.eventsAfter(bot.name, seen, maxReplay)) this.send(c, eventFrame(envelope));
      } else {
        this.send(c, { type: 'snapshot', bot: bot.name, lastEventId: last, conversations: history.recent(bot.name, this.o.snapshotSize ?? 200) });
      }
      this.send(c, { type: 'synced', bot: bot.name, lastEventId: last });
    }
    c.synced = true;
  }

  private request(c: Connection, id: string, method: string, rawParams: unknown): void {
    if (!Object.hasOwn(designerMethods, method)) return this.respondError(c, id, 'unknown_method', `no method ${method}`);
    const spec = designerMethods[method as DesignerMethod];
    const params = spec.params.safeParse(rawParams ?? {});
    if (!params.success) {
      const tooLong = params.error.issues.some((i) => i.code === 'too_big');
      return this.respondError(c, id, tooLong ? 'too_large' : 'invalid_params', describeZod(params.error));
    }
    const learned = this.o.learned && Object.hasOwn(this.o.learned, method) ? (this.o.learned[method as keyof LearnedHandlers] as (d: DesignerRef, p: unknown, id: string) => Promise<unknown>) : undefined;
    if (learned) return this.requestLearned(c, id, method, () => learned(c.designer, params.data, id));
    const handler = (this.handlers as Partial<Record<DesignerMethod, (d: DesignerRef, p: unknown) => unknown>>)[method as DesignerMethod];
    if (!handler) return this.respondError(c, id, 'unknown_method', `this Platform does not serve ${method}`);
    try {
      const result = spec.mutating ? this.once(c.designer, id, method, () => handler(c.designer, params.data)) : handler(c.designer, params.data);
      // Acknowledged once committed, after the events the command caused (they were queued first).
      this.o.repo.afterCommit(() => this.send(c, { type: 'response', id, ok: true, result }));
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

  /** An asynchronous learned-category request: answered when it settles, its refusals as the designer's errors. */
  private requestLearned(c: Connection, id: string, method: string, run: () => Promise<unknown>): void {
    run().then(
      (result) => this.o.repo.afterCommit(() => this.send(c, { type: 'response', id, ok: true, result })),
      (error: unknown) => {
        if (isAppErrorOf(DesignerErrorCodes, error)) return this.respondError(c, id, error.code, error.message, error.details);
        if (error instanceof AppError && error.code === 'invalid') return this.respondError(c, id, 'invalid_params', error.message, error.details);
        this.o.logger.error({ err: error, method, designer: c.designer.id }, 'designer request failed');
        this.respondError(c, id, 'internal', 'the Platform could not do this; it is logged');
      },
    );
  }

  /**
   * At most once per (designer, client id): the first result is stored in the same transaction as the change it
   * reports, so a retry after a lost acknowledgement (or a Platform restart) gets that result and changes nothing.
   */
  private once(designer: DesignerRef, clientId: string, method: string, apply: () => unknown): unknown {
    const { repo, clock } = this.o;
    return repo.transaction(() => {
      const earlier = repo.commandResult(designer.id, clientId);
      if (earlier) {
        if (earlier.method !== method) throw RuleError.invalid(`request id ${clientId} was already used for ${earlier.method}`);
        return earlier.result;
      }
      const result = apply();
      repo.recordCommand(designer.id, clientId, method, result, clock.now());
      return result;
    });
  }

  private respondError(c: Connection, id: string, code: DesignerErrorCode, message: string, details?: Record<string, unknown>, retryAfterMs?: number): void {
    const error: DesignerError = { code, message };
    if (details) error.details = details;
    if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
    // In order with the responses still waiting for the commit.
    this.o.repo.afterCommit(() => this.send(c, { type: 'response', id, ok: false, error }));
  }

  private broadcast(envelope: EventEnvelope): void {
    if (this.connections.size === 0) return;
    const text = JSON.stringify(eventFrame(envelope));
    for (const c of this.connections) if (c.synced) this.send(c, text);
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

function eventFrame(envelope: EventEnvelope): DesignerServerFrame {
  return { type: 'event', ...envelope };
}

function describeZod(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
