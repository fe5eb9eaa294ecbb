import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../protocol/clock.js';
import type { EventEnvelope } from '../../protocol/designer-wire.js';
import { PostgresNotifications } from '../storage/postgres-notify.js';
import type { Storage } from '../storage/storage.js';
import { EVENTS_CHANNEL, EventBridge } from './event-bridge.js';
import { InstanceHeartbeat } from './instance-heartbeat.js';

/**
 * How often every instance looks again at what another instance may have changed without this one hearing of it: a
 * commit whose announcement was lost with a crashed instance, a conversation paused elsewhere whose inactivity lease
 * this instance must also be ready to run.
 */
export const RESCAN_MS = 3_000;

export interface ClusterNodeOptions {
  databaseUrl: string;
  storage: Pick<Storage, 'botNames' | 'lastEventId' | 'eventsAfter' | 'clearPresence'>;
  instanceId: string;
  clock: Clock;
  logger: Logger;
  /** This instance's hub, which the designer and chat gateways listen to. */
  publish: (envelope: EventEnvelope) => void;
  /** Conversations whose users were on a dead instance went offline: store and publish their presence events. */
  reportOffline: (conversationIds: string[]) => Promise<void>;
  /**
   * Arms this instance's inactivity timers for every paused conversation, whichever instance paused it, so the
   * hand-back happens even when no instance of the holder is left (the hand-back itself locks and re-checks, so only
   * one instance performs it).
   */
  rescanLeases: () => Promise<void>;
  heartbeatMs?: number;
  rescanMs?: number;
  /** The storage announces its commits of events on EVENTS_CHANNEL itself (`announceEventsOn`): the bridge need not. */
  storageAnnounces?: boolean;
}

/** One Platform instance's part in a cluster on PostgreSQL: heartbeat and presence, the event bridge, lease rescans. */
export class ClusterNode {
  /** A few connections of the cluster's own (heartbeat, announcements, bot files), apart from the storage's pool. */
  readonly pool: pg.Pool;
  private listening: PostgresNotifications | undefined;
  private bridge: EventBridge | undefined;
  private heartbeat: InstanceHeartbeat | undefined;
  private rescanTimer: TimerHandle | undefined;
  private closed = false;

  private constructor(private readonly o: ClusterNodeOptions) {
    // The heartbeat's sweep holds one in its transaction while announcements and a bot publish use the others.
    this.pool = new pg.Pool({ connectionString: o.databaseUrl, max: 3, keepAlive: true });
    this.pool.on('error', (error) => o.logger.warn({ err: error }, 'cluster: a database connection broke; the next use opens another'));
  }

  /** Joins the cluster: listens for the others' events, beats, and sweeps the dead. Rejects when the database cannot be reached. */
  static async join(options: ClusterNodeOptions): Promise<ClusterNode> {
    const node = new ClusterNode(options);
    try {
      await node.start();
    } catch (error) {
      await node.close();
      throw error;
    }
    return node;
  }

  /** The LISTEN connection, for the other parts that follow the cluster (bot files). */
  get notifications(): PostgresNotifications {
    if (!this.listening) throw new Error('the cluster node has not joined yet');
    return this.listening;
  }

  /** An event this instance committed: to this instance's sockets in order, and announced to the others. */
  local(envelope: EventEnvelope): void {
    this.bridge?.local(envelope);
  }

  /** Leaves the cluster: this instance's end users go offline now, not after the others miss its heartbeats. */
  async leave(): Promise<void> {
    if (this.closed || !this.heartbeat) return;
    try {
      const offline = await this.heartbeat.stop();
      if (offline.length > 0) await this.o.reportOffline(offline);
    } catch (error) {
      this.o.logger.warn({ err: error }, 'cluster: could not mark this instance\u2019s users offline on the way out; the other instances will');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.rescanTimer !== undefined) this.o.clock.clearTimeout(this.rescanTimer);
    this.bridge?.close();
    await this.bridge?.settled();
    await this.listening?.close();
    await this.pool.end().catch(() => undefined);
  }

  private async start(): Promise<void> {
    const { logger } = this.o;
    this.listening = await PostgresNotifications.open(this.o.databaseUrl, {
      clock: this.o.clock,
      log: (message) => logger.warn(message),
    });
    this.bridge = new EventBridge({
      storage: this.o.storage,
      announcements: this.listening,
      publish: this.o.publish,
      ...(this.o.storageAnnounces
        ? {}
        : {
            announce: async (payload: string) => {
              await this.pool.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, payload]);
            },
          }),
      onError: (error, bot) => logger.error({ err: error, bot }, 'cluster: could not forward events from the other instances'),
      instanceId: this.o.instanceId,
      clock: this.o.clock,
    });
    await this.bridge.start();
    this.heartbeat = new InstanceHeartbeat({
      instanceId: this.o.instanceId,
      pool: this.pool,
      storage: this.o.storage,
      clock: this.o.clock,
      ...(this.o.heartbeatMs !== undefined ? { intervalMs: this.o.heartbeatMs } : {}),
      onOffline: async (offline, dead) => {
        logger.info({ dead, conversations: offline.length }, 'cluster: an instance died; its users are offline');
        await this.o.reportOffline(offline);
      },
      onError: (error, what) => logger.warn({ err: error }, `cluster: failed ${what}`),
    });
    await this.heartbeat.start();
    this.scheduleRescan();
    // Operators (and tests) match an instance's presence rows and its heartbeat to the process by this line.
    logger.info({ instanceId: this.o.instanceId }, 'cluster: joined');
  }

  private scheduleRescan(): void {
    if (this.closed) return;
    this.rescanTimer = this.o.clock.setTimeout(() => {
      void this.rescan().finally(() => this.scheduleRescan());
    }, this.o.rescanMs ?? RESCAN_MS);
    (this.rescanTimer as unknown as { unref?: () => void }).unref?.();
  }

  private async rescan(): Promise<void> {
    await this.bridge?.catchUpAll();
    try {
      await this.o.rescanLeases();
    } catch (error) {
      this.o.logger.warn({ err: error }, 'cluster: could not rescan the paused conversations');
    }
  }
}
