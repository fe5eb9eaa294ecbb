import { anonymousName, anonymousNumber, type AnonymousClientNames } from '../pandorabots-api/anonymous-clients.js';
import type { RateLimitDatabase } from '../limits/shared-rate-limit.js';

/**
 * atalk's anonymous client names numbered for the whole cluster (`api_anonymous_clients`), so two instances never hand
 * out one name and a name made on one instance is known on every other. A name below the highest number this instance
 * has seen is known without asking; only a newer one is looked up.
 */
export class SharedAnonymousClients implements AnonymousClientNames {
  private readonly prefix: string;
  /** The next number as this instance last saw it: every number below it was handed out. */
  private seen = 0;

  private constructor(
    private readonly pool: RateLimitDatabase,
    private readonly appId: string,
  ) {
    this.prefix = `aiaas-${appId.toLowerCase()}-user-`;
  }

  /**
   * Joins the cluster's numbering. `localNext` is this data folder's counter from before it joined: the cluster's
   * count starts past it, so the names this instance handed out alone stay known and are never handed out again.
   */
  static async open(pool: RateLimitDatabase, appId: string, localNext: number): Promise<SharedAnonymousClients> {
    const clients = new SharedAnonymousClients(pool, appId);
    const { rows } = await pool.query(
      `INSERT INTO api_anonymous_clients (app_id, next) VALUES ($1, $2)
       ON CONFLICT (app_id) DO UPDATE SET next = GREATEST(api_anonymous_clients.next, EXCLUDED.next) RETURNING next`,
      [appId, localNext],
    );
    clients.seen = Number((rows[0] as { next: string }).next);
    return clients;
  }

  async createWithin(max: number): Promise<string | undefined> {
    const { rows } = await this.pool.query('UPDATE api_anonymous_clients SET next = next + 1 WHERE app_id = $1 AND next < $2 RETURNING next', [this.appId, max]);
    if (rows.length === 0) return undefined;
    const next = Number((rows[0] as { next: string }).next);
    this.seen = Math.max(this.seen, next);
    return anonymousName(this.prefix, next - 1);
  }

  async isKnown(name: string): Promise<boolean> {
    const n = anonymousNumber(this.prefix, name);
    if (n === undefined) return false;
    if (n < this.seen) return true;
    const { rows } = await this.pool.query('SELECT next FROM api_anonymous_clients WHERE app_id = $1', [this.appId]);
    this.seen = Math.max(this.seen, Number((rows[0] as { next: string } | undefined)?.next ?? 0));
    return n < this.seen;
  }
}
