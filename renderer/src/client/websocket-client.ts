import { backoffDelay } from '../../../protocol/backoff.js';
import type { Clock, TimerHandle } from '../../../protocol/clock.js';
import { StudioEventFrame, StudioReplyFrame, type StudioArgs, type StudioEvent, type StudioMethod, type StudioResult } from '../../../protocol/studio-api.js';
import { Listeners } from './listeners.js';
import { AppError } from '../../../protocol/errors.js';
import type { StudioClient, TransportStatus } from './studio-client.js';

/** The part of the DOM WebSocket this transport uses (the `ws` package's client has it too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface WebSocketClientOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  clock: Clock;
  random?: () => number;
  /** First retry delay; doubles per failed attempt up to maxDelayMs (full jitter below that cap). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a call made while the host is unreachable waits for it to come back before it fails. */
  queueTimeoutMs?: number;
}

const OPEN = 1;

interface PendingCall {
  frame: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  sent: boolean;
  timer?: TimerHandle;
}

/**
 * Browser-mode transport: one WebSocket to the loopback host's `/studio-api`, reconnecting with exponential
 * backoff and full jitter. A call made while the socket is down waits (bounded) and is sent once it is back;
 * a call already sent when the socket drops fails, because main may or may not have applied it and the person
 * should decide whether to try again (their reply text stays in the box).
 */
export function webSocketClient(options: WebSocketClientOptions): StudioClient & { close(): void } {
  const { clock, createSocket, url } = options;
  const random = options.random ?? Math.random;
  const baseDelay = options.baseDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const queueTimeout = options.queueTimeoutMs ?? 15_000;

  const events = new Listeners<StudioEvent>();
  const transport = new Listeners<TransportStatus>();
  const pending = new Map<number, PendingCall>();
  let status: TransportStatus = { state: 'connecting' };
  let socket: SocketLike | undefined;
  let nextId = 1;
  let failures = 0;
  let retryTimer: TimerHandle | undefined;
  let closed = false;

  const setStatus = (next: TransportStatus) => {
    status = next;
    transport.emit(next);
  };

  const settle = (id: number) => {
    const call = pending.get(id);
    if (!call) return undefined;
    pending.delete(id);
    if (call.timer !== undefined) clock.clearTimeout(call.timer);
    return call;
  };

  const flush = () => {
    for (const call of pending.values()) {
      if (call.sent || !socket || socket.readyState !== OPEN) continue;
      socket.send(call.frame);
      call.sent = true;
      // Once main has the call it answers it, however long the Platform takes (main retries commands until
      // they are acknowledged): timing out here would invite a second, duplicate reply.
      if (call.timer !== undefined) clock.clearTimeout(call.timer);
      call.timer = undefined;
    }
  };

  const onMessage = (data: unknown) => {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      console.error('Studio host sent a frame that is not JSON; skipped it.');
      return;
    }
    const event = StudioEventFrame.safeParse(json);
    if (event.success) {
      events.emit(event.data.event);
      return;
    }
    const reply = StudioReplyFrame.safeParse(json);
    if (!reply.success) {
      console.error('Studio host sent a frame this renderer does not understand; skipped it.', json);
      // An answer this renderer cannot read (an error code outside the closed set, say) still ends its call.
      const id = typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'number' ? json.id : undefined;
      if (id !== undefined) settle(id)?.reject(new AppError('internal', 'Studio answered with something this window does not understand. Try again.'));
      return;
    }
    const call = settle(reply.data.id);
    if (!call) return;
    if (reply.data.ok) call.resolve(reply.data.result);
    else call.reject(new AppError(reply.data.error.code, reply.data.error.message, reply.data.error.details ? { details: reply.data.error.details } : {}));
  };

  const scheduleReconnect = () => {
    if (closed) return;
    // At least 100 ms, so a host that refuses at once is not hammered in a tight loop.
    const delay = Math.max(100, backoffDelay(failures, { baseMs: baseDelay, capMs: maxDelay }, random));
    failures += 1;
    setStatus({ state: 'reconnecting', retryAt: clock.now() + delay });
    retryTimer = clock.setTimeout(connect, delay);
  };

  function connect() {
    retryTimer = undefined;
    if (closed) return;
    let current: SocketLike;
    try {
      current = createSocket(url);
    } catch (error) {
      console.error('Could not open the Studio host connection:', error);
      scheduleReconnect();
      return;
    }
    socket = current;
    current.addEventListener('open', () => {
      if (socket !== current) return;
      failures = 0;
      setStatus({ state: 'open' });
      flush();
    });
    current.addEventListener('message', (event) => {
      if (socket === current) onMessage(event.data);
    });
    current.addEventListener('close', () => {
      if (socket !== current) return;
      socket = undefined;
      for (const [id, call] of pending) {
        if (!call.sent) continue;
        settle(id);
        call.reject(new AppError('disconnected', 'Studio lost the connection to its host before the answer came. Try again.'));
      }
      scheduleReconnect();
    });
    // 'error' is always followed by 'close', which does the work.
    current.addEventListener('error', () => undefined);
  }

  connect();

  return {
    invoke<M extends StudioMethod>(method: M, args: StudioArgs<M>): Promise<StudioResult<M>> {
      if (closed) return Promise.reject(new AppError('disconnected', 'This Studio window is closed.'));
      const id = nextId++;
      return new Promise<StudioResult<M>>((resolve, reject) => {
        const call: PendingCall = { frame: JSON.stringify({ id, method, args }), resolve: resolve as (v: unknown) => void, reject, sent: false };
        call.timer = clock.setTimeout(() => {
          if (!settle(id)) return;
          reject(new AppError('disconnected', 'Studio cannot reach its host right now. Try again when the connection is back.'));
        }, queueTimeout);
        pending.set(id, call);
        flush();
      });
    },
    onEvent: (listener) => events.add(listener),
    onTransport: (listener) => transport.add(listener),
    transportStatus: () => status,
    close() {
      closed = true;
      if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
      socket?.close(1000, 'closing');
      socket = undefined;
      for (const id of [...pending.keys()]) settle(id)?.reject(new AppError('disconnected', 'This Studio window is closed.'));
    },
  };
}
