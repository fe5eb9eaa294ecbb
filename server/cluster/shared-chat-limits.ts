import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import type { ChatLimits } from '../chat/chat-gateway.js';
import { SharedRateLimit } from '../limits/shared-rate-limit.js';

/** How often each instance forgets the shared buckets that are full again (idempotent: any instance may do it). */
const PRUNE_MS = 60_000;

export interface SharedChatLimits {
  stores: { sessions: SharedRateLimit; addresses: SharedRateLimit; hellos: SharedRateLimit };
  close(): Promise<void>;
}

/**
 * The chat flood limits of a cluster (per session, per address, hellos per session), counted in the database so a
 * flooder spreading over the instances behind a load balancer gets the allowance of one Platform, not N. Its own small
 * pool: a reservation must not wait behind the storage's transactions or the heartbeat's sweep.
 */
export function openSharedChatLimits(o: { databaseUrl: string; limits: ChatLimits; clock: Clock; refillTime: 'database' | Clock; logger: Logger }): SharedChatLimits {
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
  };
  const prune = setInterval(() => {
    for (const store of Object.values(stores)) void store.prune().catch(onError);
  }, PRUNE_MS);
  prune.unref();
  return {
    stores,
    close: async () => {
      clearInterval(prune);
      await pool.end().catch(() => undefined);
    },
  };
}
