import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../../protocol/clock.js';
import { MemoryRateLimit } from '../limits/memory-rate-limit.js';
import type { RateLimitShape } from '../limits/rate-limit.js';
import { socketAddressOf } from './client-address.js';
import { refuseUpgrade } from './upgrade-refusal.js';

/** How a chat socket is refused before its request is parsed: the same answer the chat gateway would give. */
export interface ChatRefusal {
  status: number;
  reason: string;
  headers: Record<string, string>;
}

export interface ChatAcceptGateOptions {
  clock: Clock;
  /** Why a chat socket from this address would be refused now, or undefined when it may be tried. */
  refusal(remote: string): ChatRefusal | undefined;
  /** An address opening connections faster than this has its next ones looked at before HTTP gets them. */
  opens: RateLimitShape;
  /** A looked-at connection that sends nothing for this long is closed (the HTTP server's headers timeout). */
  firstBytesTimeoutMs: number;
  /** Addresses tracked at most. */
  maxAddresses: number;
  /** A trusted proxy's connections carry many users (`--trust-proxy`): never held or refused here. */
  isTrustedProxy?: (address: string | undefined) => boolean;
  /**
   * Refusals answered per address (default: 20 at once, then 5 a second). Past them, the address's new connections are
   * closed as soon as they are accepted, unread and unanswered, until the allowance refills: it has had its answer.
   */
  answeredRefusals?: RateLimitShape;
}

/** See `answeredRefusals`. */
export const ANSWERED_REFUSALS: RateLimitShape = { burst: 20, perSecond: 5 };

/** The request line of a chat socket (`GET /ws/chat?bot=...` or `GET /ws/chat HTTP/1.1`). */
const CHAT_REQUEST = Buffer.from('GET /ws/chat');
const QUERY = 0x3f;
const SPACE = 0x20;
/** A refused client that does not close its end is cut off after this (it has its answer by then). */
const LINGER_MS = 2_000;
/** How often held connections are checked for their time being up (a timeout is late by this much at most). */
const SWEEP_MS = 1_000;
const END_OF_HEADERS = Buffer.from('\r\n\r\n');

function isChatRequest(chunk: Buffer): boolean {
  if (chunk.length <= CHAT_REQUEST.length) return false;
  if (chunk.compare(CHAT_REQUEST, 0, CHAT_REQUEST.length, 0, CHAT_REQUEST.length) !== 0) return false;
  const next = chunk[CHAT_REQUEST.length];
  return next === QUERY || next === SPACE;
}

/**
 * Refuses chat sockets from an address over its chat limits as soon as their request line arrives, before the HTTP
 * server parses anything or the WebSocket upgrade runs.
 *
 * Why: Node (libuv >= 1.45) accepts one connection per event-loop iteration, and the kernel's accept queue is first
 * in, first out. A client that opens 300 sockets at once puts everyone who connects after it behind 300 iterations,
 * and every one of them paid for an HTTP parser, a parse and an upgrade refusal of a flood socket (measured in
 * bench:flood: a new connection to /healthz waited up to ~190 ms in the accept queue while the Platform accepted the
 * flood one by one). Refused here, a flood socket costs a read, a compare and a ready-made answer.
 *
 * Only chat traffic is refused: an office behind one address keeps its designers, API calls, /healthz and pages; only
 * an address that has had its allowance of answered refusals (`answeredRefusals`) has every new connection closed at
 * accept for the moment it takes to refill.
 * Connections of ordinary addresses go to the HTTP server untouched; only those of an address opening connections
 * faster than a page would, or already refused for chats, are read first (then handed over, bytes and all). What
 * this misses (a request line split across packets, an unusual spelling of the path) is refused by the chat gateway
 * as before: this is the cheap path, the gateway stays the rule.
 */
export class ChatAcceptGate {
  private readonly opened: MemoryRateLimit;
  private readonly answered: MemoryRateLimit;
  /**
   * Addresses that used up their answered refusals, until when: their connections are closed at accept. Why: each
   * accepted connection costs an event-loop iteration and whatever is ready in it; read and answered, a flood socket
   * cost ~250 µs, so 300 of them still kept a new connection behind them waiting 40–140 ms (bench:flood, quiet machine).
   */
  private readonly shedding = new Map<string, number>();
  /** Connections closed at accept (tests, benchmarks). */
  shed = 0;
  /** Connections being read or refused here, closed at shutdown. */
  private readonly held = new Map<Socket, number>();
  /** One timer for every held connection (a flood holds hundreds), running only while some are held. */
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly o: ChatAcceptGateOptions) {
    this.opened = new MemoryRateLimit(o.clock, o.opens, o.maxAddresses);
    this.answered = new MemoryRateLimit(o.clock, o.answeredRefusals ?? ANSWERED_REFUSALS, o.maxAddresses);
  }

  /** Puts the gate in front of `server`'s own connection handling (the HTTP parser), which it calls for the rest. */
  install(server: Server): void {
    const listeners = server.listeners('connection');
    if (listeners.length !== 1) throw new Error(`the chat accept gate goes first: the server has ${listeners.length} connection listeners`);
    const http = listeners[0] as (socket: Socket) => void;
    server.removeListener('connection', http);
    server.on('connection', (socket: Socket) => this.connection(socket, () => http.call(server, socket)));
  }

  /** Closes the connections still held here (shutdown). */
  close(): void {
    for (const socket of this.held.keys()) socket.destroy();
    this.held.clear();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private connection(socket: Socket, toHttp: () => void): void {
    if (this.o.isTrustedProxy?.(socket.remoteAddress)) return toHttp();
    // Keyed as the chat gateway keys it (an IPv4 user on a dual-stack socket is its IPv4 address).
    const remote = socketAddressOf(socket);
    if (this.isShedding(remote)) {
      this.shed++;
      return void socket.destroy();
    }
    const suspect = !this.opened.take(remote).ok || this.o.refusal(remote) !== undefined;
    if (!suspect) return toHttp();
    const destroy = () => socket.destroy();
    socket.on('error', destroy);
    socket.on('end', destroy);
    socket.once('close', () => this.release(socket));
    this.hold(socket, this.o.firstBytesTimeoutMs);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      const refusal = isChatRequest(chunk) ? this.o.refusal(remote) : undefined;
      if (refusal) return this.refuse(socket, remote, chunk, refusal);
      this.release(socket);
      socket.removeListener('error', destroy);
      socket.removeListener('end', destroy);
      // The HTTP server reads what was read here first, then the rest.
      socket.unshift(chunk);
      toHttp();
      socket.resume();
    });
  }

  private isShedding(remote: string): boolean {
    const until = this.shedding.get(remote);
    if (until === undefined) return false;
    if (this.o.clock.now() < until) return true;
    this.shedding.delete(remote);
    return false;
  }

  private refuse(socket: Socket, remote: string, request: Buffer, refusal: ChatRefusal): void {
    // This one is answered; once the address has had its allowance of answers, the next ones are closed at accept.
    const answered = this.answered.take(remote);
    if (!answered.ok) {
      this.shedding.set(remote, this.o.clock.now() + answered.retryAfterMs);
      // Bounded like the other per-address state: the oldest entry goes first.
      if (this.shedding.size > this.o.maxAddresses) this.shedding.delete(this.shedding.keys().next().value!);
    }
    refuseUpgrade(socket, refusal.status, refusal.reason, refusal.headers);
    // The whole request was read: nothing is left to reset the connection, so it closes once the answer is out.
    if (request.includes(END_OF_HEADERS)) return void socket.once('finish', () => socket.destroy());
    // More of it is coming: read and drop it until the client closes (or the linger time is up), since closing with
    // it unread would reset the connection and the client could lose the answer.
    this.hold(socket, LINGER_MS);
    socket.resume();
  }

  private hold(socket: Socket, forMs: number): void {
    this.held.set(socket, performance.now() + forMs);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
  }

  private release(socket: Socket): void {
    this.held.delete(socket);
    if (this.held.size > 0 || !this.sweeper) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Closes held connections past their time: silent ones, and refused ones whose client did not close. */
  private sweep(): void {
    const now = performance.now();
    for (const [socket, until] of this.held) if (until <= now) socket.destroy();
  }
}
