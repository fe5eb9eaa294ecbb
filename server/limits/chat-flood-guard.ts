import type { Clock } from '../../protocol/clock.js';
import { MemoryRateLimit } from './memory-rate-limit.js';
import type { AsyncRateLimit, LimitDecision, RateLimitShape } from './rate-limit.js';

export interface ChatFloodLimits {
  /**
   * Messages per session, kept across sockets: a reconnect with the same session key does not refill it. A chat
   * session key names exactly one conversation of a bot, so this is also the conversation's limit.
   */
  session: RateLimitShape;
  /**
   * Messages per remote address over all its sessions. Each accepted message asks the bot for at most one reply, so
   * this caps what one address can make the bot compute, however many session keys it makes up.
   */
  address: RateLimitShape;
  /** Open sockets on one session (one conversation): every message goes to each, so this keeps fan-out linear. */
  socketsPerSession: number;
  /**
   * Hellos per session: each one reads the conversation back (and commits what is pending first), so a client
   * reconnecting in a loop is turned away after a few, cheaply, instead of costing a read each time.
   */
  sessionHellos: RateLimitShape;
  /** Session buckets kept in memory at most (the least recently used go first). */
  maxTrackedSessions: number;
}

/** A refusal the end user is shown (chat-wire `error` frame). */
export interface FloodRefusal {
  ok: false;
  scope: 'session' | 'address' | 'sockets' | 'reconnects';
  retryAfterMs: number;
  message: string;
}

/**
 * The chat socket's flood limits, outside the gateway so they can be reasoned about on their own, and counted in a
 * store shared by a cluster (`stores`, shared-rate-limit.ts) or in this process's memory (the default). Measured before it existed: 300 sockets x 10 messages on one session stored 3,000 messages
 * and blocked /healthz for ~10 s, because the allowance was per socket and every message went to every socket.
 */
export class ChatFloodGuard {
  private readonly sessions: AsyncRateLimit;
  private readonly addresses: AsyncRateLimit;
  private readonly hellos: AsyncRateLimit;
  /** Open sockets per session key; an entry lives only while a socket is open, so it is bounded by the sockets. */
  private readonly socketsOpen = new Map<string, number>();
  private readonly socketsElsewhere: ((sessionId: string) => Promise<number>) | undefined;

  constructor(
    clock: Clock,
    private readonly limits: ChatFloodLimits,
    stores: {
      sessions?: AsyncRateLimit;
      addresses?: AsyncRateLimit;
      hellos?: AsyncRateLimit;
      /** Sockets open on the session at the other instances of a cluster (their presence); none without one. */
      socketsElsewhere?: (sessionId: string) => Promise<number>;
    } = {},
  ) {
    this.socketsElsewhere = stores.socketsElsewhere;
    this.sessions = stores.sessions ?? new MemoryRateLimit(clock, limits.session, limits.maxTrackedSessions);
    // Addresses are bounded by the open connections' addresses in practice; the same cap keeps a spoof-free bound.
    this.addresses = stores.addresses ?? new MemoryRateLimit(clock, limits.address, limits.maxTrackedSessions);
    this.hellos = stores.hellos ?? new MemoryRateLimit(clock, limits.sessionHellos, limits.maxTrackedSessions);
  }

  /**
   * A socket says hello on a session: allowed while the session has fewer than `socketsPerSession` open and has not
   * reconnected too often. The returned `release` must be called once when the socket closes.
   */
  async openChannel(sessionId: string): Promise<{ ok: true; release: () => void } | FloodRefusal> {
    const open = this.socketsOpen.get(sessionId) ?? 0;
    if (open >= this.limits.socketsPerSession) return tooManySockets(open);
    // The place is taken before the hello allowance is asked (which may ask the cluster's database), so sockets that
    // say hello together cannot all pass the count.
    this.socketsOpen.set(sessionId, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.socketsOpen.get(sessionId) ?? 1) - 1;
      if (left > 0) this.socketsOpen.set(sessionId, left);
      else this.socketsOpen.delete(sessionId);
    };
    const hello = await this.hellos.take(sessionId);
    if (!hello.ok) {
      release();
      return refusal('reconnects', hello, `this chat reconnected too often: it connects again in ${seconds(hello.retryAfterMs)}`);
    }
    if (this.socketsElsewhere) {
      let total: number;
      try {
        total = open + (await this.socketsElsewhere(sessionId));
      } catch {
        // The cluster's count could not be read: this instance's own cap still holds.
        total = open;
      }
      if (total >= this.limits.socketsPerSession) {
        release();
        return tooManySockets(total);
      }
    }
    return { ok: true, release };
  }

  /** One user message from `remote` on `sessionId`: the session's allowance first, then the address's. */
  async admitMessage(sessionId: string, remote: string): Promise<{ ok: true } | FloodRefusal> {
    const session = await this.sessions.take(sessionId);
    if (!session.ok) return refusal('session', session, `you are sending too fast: wait ${seconds(session.retryAfterMs)} and your message goes out`);
    const address = await this.addresses.take(remote);
    if (!address.ok) return refusal('address', address, `too many messages from your network right now: wait ${seconds(address.retryAfterMs)}`);
    return { ok: true };
  }

  /** Sessions with a socket open now (for tests and metrics). */
  get openSessions(): number {
    return this.socketsOpen.size;
  }
}

function tooManySockets(open: number): FloodRefusal {
  return { ok: false, scope: 'sockets', retryAfterMs: 30_000, message: `this chat is already open in ${open} windows: close one of them and try again` };
}

function refusal(scope: FloodRefusal['scope'], d: Extract<LimitDecision, { ok: false }>, message: string): FloodRefusal {
  return { ok: false, scope, retryAfterMs: d.retryAfterMs, message };
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s === 1 ? '1 second' : `${s} seconds`;
}
