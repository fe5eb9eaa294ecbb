import pg from 'pg';
import { backoffDelay, type BackoffPolicy } from '../../protocol/backoff.js';
import { systemClock, type Clock, type TimerHandle } from '../../protocol/clock.js';
import type { StorageTx } from './storage.js';
import { describeCause } from './postgres-health.js';
import { databaseAddress } from './postgres-storage.js';
import { PostgresTx } from './postgres-tx.js';

/**
 * PostgreSQL LISTEN/NOTIFY between Platform instances. One dedicated connection listens (a pooled one would be handed
 * to other work and miss notifications); when it breaks it reconnects by itself with backoff, listens again on every
 * channel, and then calls `onReconnect`: notifications sent while it was away are lost for good, so whoever relies on
 * them catches up from the database there (the events table, by id).
 *
 * A notification is sent inside the transaction of the change it announces (`notify(tx, ...)`): PostgreSQL delivers it
 * at commit, and never when the transaction rolls back, so a listener never hears of data it cannot read yet.
 */

/** PostgreSQL refuses payloads of 8000 bytes or more: announce ids, not data. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7999;

/** Reconnect quickly (other instances' events wait for it) but never hammer a database that is down. */
export const NOTIFY_BACKOFF: BackoffPolicy = { baseMs: 200, capMs: 5_000 };

export interface PostgresNotificationsOptions {
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Told when the connection is lost and when it is back. */
  log?: (message: string) => void;
}

export class PostgresNotifications {
  private client: pg.Client | undefined;
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly where: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly log: (message: string) => void;
  private retryTimer: TimerHandle | undefined;
  private attempt = 0;
  private closed = false;

  private constructor(
    private readonly url: string,
    options: PostgresNotificationsOptions,
  ) {
    this.where = databaseAddress(url);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? NOTIFY_BACKOFF;
    this.log = options.log ?? ((message) => console.error(message));
  }

  /** Connects the listening connection; rejects with one line naming host:port when the database cannot be reached. */
  static async open(url: string, options: PostgresNotificationsOptions = {}): Promise<PostgresNotifications> {
    const notifications = new PostgresNotifications(url, options);
    try {
      await notifications.connect();
    } catch (error) {
      throw new Error(`cannot reach PostgreSQL at ${notifications.where}: ${describeCause(error)}`, { cause: error });
    }
    return notifications;
  }

  /** Whether the listening connection is up right now (notifications may be missed while it is not). */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Calls `onPayload` for every notification on `channel` from now on (while connected; see `onReconnect`). */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
    const known = this.channels.get(channel);
    if (known) {
      known.add(onPayload);
      return;
    }
    // Registered before LISTEN is sent: if the connection breaks meanwhile, the reconnect listens on every channel
    // in the map, this one included.
    this.channels.set(channel, new Set([onPayload]));
    if (this.client) await this.client.query(`LISTEN ${this.client.escapeIdentifier(channel)}`);
  }

  /** Called after each reconnect, once listening again on every channel: catch up on what was missed meanwhile. */
  onReconnect(callback: () => void): () => void {
    this.reconnectListeners.add(callback);
    return () => this.reconnectListeners.delete(callback);
  }

  /** Queues `payload` on `channel` in `tx`: sent when it commits, never if it rolls back. */
  async notify(tx: StorageTx, channel: string, payload: string): Promise<void> {
    if (!(tx instanceof PostgresTx)) throw new Error('notify needs a transaction of the PostgreSQL storage');
    const bytes = Buffer.byteLength(payload, 'utf8');
    if (bytes > MAX_NOTIFY_PAYLOAD_BYTES) {
      throw new Error(`a notification payload is at most ${MAX_NOTIFY_PAYLOAD_BYTES} bytes (this one is ${bytes}): send an id and read the rest from the database`);
    }
    await tx.notify(channel, payload);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    // Until connected, a failure rejects `connect()`; the handler keeps an 'error' event from crashing the process.
    client.on('error', () => {});
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    client.on('notification', (message) => {
      for (const listener of this.channels.get(message.channel) ?? []) listener(message.payload ?? '');
    });
    const lost = (error?: unknown) => this.lost(client, error);
    client.on('error', lost);
    client.on('end', () => lost());
    this.client = client;
    this.attempt = 0;
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => {});
    if (this.closed) return;
    this.log(`PostgreSQL notifications from ${this.where} lost${error ? `: ${describeCause(error)}` : ''}; reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const delay = backoffDelay(this.attempt++, this.backoff, this.random);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          if (this.closed || !this.client) return;
          this.log(`PostgreSQL notifications from ${this.where} are back`);
          for (const callback of this.reconnectListeners) callback();
        },
        () => this.scheduleReconnect(),
      );
    }, delay);
  }
}
