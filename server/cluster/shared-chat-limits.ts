import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import type { ChatLimits } from '../chat/chat-gateway.js';
import { SharedRateLimit } from '../limits/shared-rate-limit.js';

/** How often each instance forgets the shared buckets that are full again (idempotent: any instance may do it). */
const PRUNE_MS = 60_000;

export interface SharedChatLimits {
  /** The limits' own connections (atalk's shared client numbering uses them too). */
  pool: pg.Pool;
  /** The Pandorabots API's talk calls per minute, counted for the cluster (one count per app and clock minute). */
  talkCalls(perMinute: number): SharedRateLimit;
  stores: { sessions: SharedRateLimit; addresses: SharedRateLimit; hellos: SharedRateLimit; socketsElsewhere: (sessionId: string) => Promise<number> };
  close(): Promise<void>;
}

/**
 * The chat flood limits of a cluster (per session, per address, hellos per session, sockets per session), counted in the database so a
 * flooder spreading over the instances behind a load balancer gets the allowance of one Platform, not N. Its own small
 * pool: a reservation must not wait behind the storage's transactions or the heartbeat's sweep.
 */
export function openSharedChatLimits(o: { databaseUrl: string; instanceId: string; limits: ChatLimits; clock: Clock; refillTime: 'database' | Clock; logger: Logger }): SharedChatLimits {
  const pool = new pg.Pool({ connectionString: o.databaseUrl, max: 2, keepAlive: true });
  pool.on('error', (error) => o.logger.warn({ err: error }, 'shared chat limits: a database connection broke; the next use opens another'));
  let warnedAt = Number.NEGATIVE_INFINITY;
  const onError = (error: unknown) => {
    // Once a minute at most: a lost database would otherwise log once per chat message.
    if (o.clock.now() - warnedAt < 60_000) return;
    warnedAt = o.clock.now();
    o.logger.warn({ err: error }, 'shared chat limits: the database did not answer; this instance counts the limits on its own meanwhile');
  };
  const { limits } = o;
  const shared = (scope: string, burst: number, perSecond: number) =>
    new SharedRateLimit({ pool, scope, shape: { burst, perSecond }, clock: o.clock, refillTime: o.refillTime, maxKeys: limits.maxTrackedSessions, onError });
  const stores = {
    sessions: shared('chat-session', limits.messagesBurst, limits.messagesPerSecond),
    addresses: shared('chat-address', limits.addressMessagesBurst, limits.addressMessagesPerSecond),
    hellos: shared('chat-hello', limits.sessionHellosBurst, limits.sessionHellosPerSecond),
    // One read per hello (a hello reads the conversation back anyway): the other instances' presence rows of the
    // session's conversation. A session id is the bot and the hashed session key, NUL between them (chat-gateway.ts).
    socketsElsewhere: async (sessionId: string) => {
      const cut = sessionId.indexOf('\u0000');
      const { rows } = await pool.query<{ open: string | null }>(
        `SELECT SUM(p.open) AS open FROM conversations c JOIN conversation_presence p ON p.conversation_id = c.id
         WHERE c.bot = $1 AND c.session_key = $2 AND p.instance_id <> $3`,
        [sessionId.slice(0, cut), sessionId.slice(cut + 1), o.instanceId],
      );
      return Number(rows[0]?.open ?? 0);
    },
  };
  const prunable = [stores.sessions, stores.addresses, stores.hellos];
  const talkCalls = (perMinute: number) => {
    // A minute's count is kept a minute past its end, then forgotten.
    const store = new SharedRateLimit({ pool, scope: 'api-talk-calls', shape: { burst: perMinute, perSecond: 0 }, clock: o.clock, refillTime: o.refillTime, forgetAfterMs: 120_000, onError });
    prunable.push(store);
    return store;
  };
  const prune = setInterval(() => {
    for (const store of prunable) void store.prune().catch(onError);
  }, PRUNE_MS);
  prune.unref();
  return {
    pool,
    stores,
    talkCalls,
    close: async () => {
      clearInterval(prune);
      await pool.end().catch(() => undefined);
    },
  };
}
