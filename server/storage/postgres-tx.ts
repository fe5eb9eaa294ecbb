import type pg from 'pg';
import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationRow, DesignerRow, MessageRow } from './rows.js';
import { PendingEvent } from './event-at-commit.js';
import type { EventAtCommit, StorageTx } from './storage.js';
import { explainRefusal } from './postgres-health.js';
import { PostgresReads, type Query } from './postgres-reads.js';
import { CONVERSATION_COLUMN, CONVERSATION_INSERT_COLUMNS, conversationValues, messageValues, toConversation, type Row } from './postgres-rows.js';

/** Where a transaction announces its events (postgres-storage.ts `announceEventsOn`). */
export interface EventAnnouncements {
  channel: string;
  /** The committing instance, so it can ignore its own announcements. */
  from?: string;
}

/** Appends $2 events of bot $1 (their `at`s in $3, bodies in $4) with the next ids; `next` holds the newest id. */
const APPEND_EVENTS = `WITH next AS (
    INSERT INTO bots (name, last_event_id) VALUES ($1, $2)
    ON CONFLICT (name) DO UPDATE SET last_event_id = bots.last_event_id + $2
    RETURNING last_event_id
  ), appended AS (
    INSERT INTO events (bot, id, at, body)
    SELECT $1, next.last_event_id - $2 + e.n, e.at, e.body
    FROM next, unnest($3::bigint[], $4::text[]) WITH ORDINALITY AS e(at, body, n)
  )`;

/**
 * One PostgreSQL transaction, on the connection the storage took for it (READ COMMITTED). The locks (`lock*`, and the
 * bot row that the event appends update) are row locks held until COMMIT or ROLLBACK; that is what makes takeover
 * exclusive and event ids gap-free in commit order across instances.
 *
 * Round trips, not CPU, bound a transaction here (measured: the Platform at half a core answered in seconds), so the
 * connection is pipelined (node-postgres `pipeline: true`): BEGIN and every write whose result nothing needs are sent
 * at once and not waited for; a read waits for its own answer, which comes after theirs; a write's failure aborts the
 * transaction, and it is reported by the next read or the commit. Events appended at commit travel with the COMMIT, so
 * the bot's counter row, which every message of the bot on every instance needs, is locked for one statement only.
 */
export class PostgresTx extends PostgresReads implements StorageTx {
  /** Work for after the commit, in the order queued; dropped when the transaction rolls back. */
  readonly committed: Array<() => void> = [];
  private finished = false;
  /** Statements sent without waiting (BEGIN, writes): settled, never rejected; a failure is kept in `failure`. */
  private readonly sent: Array<Promise<void>> = [];
  /** The first failure of a statement nobody waited for: the transaction is aborted from there on. */
  private failure: unknown;
  private beginFailed: unknown;
  /** Events appended at commit, in the order appended. */
  private queued: PendingEvent[] = [];

  /** The newest id this transaction appended with `appendEvent`, per bot: announced at the commit (see below). */
  private readonly appendedNow = new Map<string, number>();

  /**
   * @param announce When set, the commit of events is announced on its channel with `{"bot", "id", "from"}` (the
   *   newest id per bot, the committing instance), by a NOTIFY inside the transaction: PostgreSQL delivers it exactly
   *   when the events are committed, and it costs no statement of its own (the appends at commit carry it).
   */
  constructor(
    private readonly client: pg.ClientBase,
    private readonly announce?: EventAnnouncements,
  ) {
    super();
  }

  /** After COMMIT or ROLLBACK the connection goes back to the pool: a late call must not run in someone else's work. */
  finish(): void {
    this.finished = true;
  }

  /** Sends BEGIN without waiting: the first statement's answer (or the commit's) says whether it worked. */
  begin(): void {
    this.sent.push(
      this.client.query('BEGIN ISOLATION LEVEL READ COMMITTED').then(
        () => undefined,
        (error: unknown) => {
          this.beginFailed = error;
          this.failure ??= error;
        },
      ),
    );
  }

  /** BEGIN's failure, once everything sent has been answered (a pooled connection that broke while idle fails there). */
  async beginFailure(): Promise<unknown> {
    await Promise.all(this.sent);
    return this.beginFailed;
  }

  protected async run(query: Query): Promise<Row[]> {
    if (this.finished) throw new Error('this transaction has ended: use the storage, or pass the transaction down while it runs');
    try {
      return (await this.client.query<Row>(query)).rows;
    } catch (error) {
      // "Current transaction is aborted" says nothing: the statement that aborted it does.
      await Promise.all(this.sent);
      throw explainRefusal(this.failure ?? error);
    }
  }

  /** A write whose result nothing needs: sent now, not waited for (see the class comment). */
  private send(query: Query): Promise<void> {
    if (this.finished) return Promise.reject(new Error('this transaction has ended: use the storage, or pass the transaction down while it runs'));
    this.sendNow(query);
    return Promise.resolve();
  }

  /** `send` without the check: the commit's own statements go out after the transaction's function ended. */
  private sendNow(query: Query): void {
    this.sent.push(
      this.client.query(query).then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      ),
    );
  }

  /**
   * Appends the queued events and commits, in one round trip (pipelined); gives the queued events their ids. Throws
   * when anything of the transaction failed (COMMIT then rolled back: PostgreSQL answers COMMIT in an aborted
   * transaction with ROLLBACK) or the commit itself did.
   */
  async commit(): Promise<void> {
    const appended = this.sendQueuedEvents();
    this.announceAppendedNow();
    const committed = this.client.query('COMMIT');
    const [settled] = await Promise.allSettled([committed, Promise.all(this.sent), ...appended]);
    if (this.failure !== undefined) throw explainRefusal(this.failure);
    if (settled.status === 'rejected') throw settled.reason;
    for (const result of await Promise.allSettled(appended)) if (result.status === 'rejected') throw explainRefusal(result.reason);
  }

  /** Sends the queued events' appends, one statement per bot (bots in name order: two transactions lock them alike). */
  private sendQueuedEvents(): Array<Promise<void>> {
    const queued = this.queued;
    this.queued = [];
    const byBot = new Map<string, PendingEvent[]>();
    for (const e of queued) byBot.set(e.bot, [...(byBot.get(e.bot) ?? []), e]);
    return [...byBot.keys()].sort().map((bot) => {
      const events = byBot.get(bot)!;
      // These ids are newer than any appended now: their announcement covers those.
      this.appendedNow.delete(bot);
      const values = [bot, events.length, events.map((e) => e.at), events.map((e) => JSON.stringify(e.event))];
      return this.client
        .query<Row>(
          this.announce === undefined
            ? { name: 'lts_append_events', text: `${APPEND_EVENTS} SELECT last_event_id FROM next`, values }
            : {
                name: 'lts_append_events_announced',
                text: `${APPEND_EVENTS} SELECT last_event_id, pg_notify($5, json_build_object('bot', $1::text, 'id', last_event_id, 'from', $6::text)::text) FROM next`,
                values: [...values, this.announce.channel, this.announce.from ?? null],
              },
        )
        .then((result) => {
          const last = Number(result.rows[0]!.last_event_id);
          events.forEach((e, i) => e.settle(last - events.length + 1 + i));
        });
    });
  }

  /** Announces the events appended with `appendEvent` whose bot has none appended at commit (those announce themselves). */
  private announceAppendedNow(): void {
    if (this.announce === undefined) return;
    const { channel, from = null } = this.announce;
    for (const [bot, id] of this.appendedNow) this.sendNow({ name: 'lts_notify', text: 'SELECT pg_notify($1, $2)', values: [channel, JSON.stringify({ bot, id, from })] });
    this.appendedNow.clear();
  }

  /** Sends `payload` on `channel` when this transaction commits, and never when it rolls back (postgres-notify.ts). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.run({ name: 'lts_notify', text: 'SELECT pg_notify($1, $2)', values: [channel, payload] });
  }

  afterCommit(fn: () => void): void {
    this.committed.push(fn);
  }

  // ---- locks ----

  async lockBot(bot: string): Promise<void> {
    // An advisory lock of its own, not the bot's row: that row is the event counter every message of the bot updates,
    // and choosing a name (several reads) must not hold every message back. The two-key form is a key space of its
    // own (the migrations' one-key lock cannot collide with it).
    await this.run({ name: 'lts_lock_bot_names', text: "SELECT pg_advisory_xact_lock(hashtext('lts_bot_names'), hashtext($1))", values: [bot] });
  }

  async lockConversation(id: string): Promise<ConversationRow | undefined> {
    const row = await this.one({ name: 'lts_lock_conversation', text: 'SELECT * FROM conversations WHERE id = $1 FOR UPDATE', values: [id] });
    return row && toConversation(row);
  }

  // ---- bots and their event logs ----

  ensureBot(bot: string): Promise<void> {
    return this.send({ name: 'lts_ensure_bot', text: 'INSERT INTO bots (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', values: [bot] });
  }

  setSettingsOverrides(bot: string, overrides: unknown): Promise<void> {
    return this.send({
      name: 'lts_set_settings',
      text: 'INSERT INTO bots (name, settings) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET settings = EXCLUDED.settings',
      values: [bot, JSON.stringify(overrides)],
    });
  }

  async appendEvent(bot: string, at: number, event: DomainEvent): Promise<EventEnvelope> {
    // The events queued for the commit were appended first: they get the earlier ids.
    const queued = this.sendQueuedEvents();
    if (queued.length > 0) await Promise.all(queued);
    // One round trip: take the bot's next id (its row stays locked until commit, so the next transaction of this bot
    // waits for ours and ids commit in order without gaps) and store the event under it.
    const row = await this.one({
      name: 'lts_append_event',
      text: `WITH next AS (
          INSERT INTO bots (name, last_event_id) VALUES ($1, 1)
          ON CONFLICT (name) DO UPDATE SET last_event_id = bots.last_event_id + 1
          RETURNING last_event_id
        )
        INSERT INTO events (bot, id, at, body) SELECT $1, last_event_id, $2, $3 FROM next RETURNING id`,
      values: [bot, at, JSON.stringify(event)],
    });
    const id = row!.id as number;
    this.appendedNow.set(bot, id);
    return { bot, id, at, event };
  }

  appendEventAtCommit(bot: string, at: number, event: DomainEvent): Promise<EventAtCommit> {
    if (this.finished) return Promise.reject(new Error('this transaction has ended: use the storage, or pass the transaction down while it runs'));
    const pending = new PendingEvent(bot, at, event);
    this.queued.push(pending);
    return Promise.resolve(pending);
  }

  pruneEvents(bot: string, keep: number): Promise<void> {
    return this.send({
      name: 'lts_prune_events',
      text: 'DELETE FROM events WHERE bot = $1 AND id <= (SELECT last_event_id FROM bots WHERE name = $1) - $2',
      values: [bot, keep],
    });
  }

  // ---- conversations ----

  /** `online` is not taken from the row: presence starts at none and changes only through `changePresence`. */
  async insertConversation(row: ConversationRow): Promise<void> {
    await this.run({
      name: 'lts_insert_conversation',
      text: `INSERT INTO conversations (${CONVERSATION_INSERT_COLUMNS})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
      values: conversationValues(row),
    });
  }

  async updateConversation(id: string, patch: Partial<Omit<ConversationRow, 'id' | 'bot' | 'online'>>): Promise<void> {
    const values: unknown[] = [id];
    const columns: string[] = [];
    const set = (column: string, value: unknown) => {
      values.push(value);
      columns.push(`${column} = $${values.length}`);
    };
    for (const [key, value] of Object.entries(patch)) {
      const field = key as keyof ConversationRow;
      switch (field) {
        case 'heldBy': {
          const held = value as ConversationRow['heldBy'];
          set('held_by_id', held?.id ?? null);
          set('held_by_name', held?.name ?? null);
          break;
        }
        case 'lastMessage': {
          const last = value as ConversationRow['lastMessage'];
          set('last_author', last?.author ?? null);
          set('last_text', last?.text ?? null);
          set('last_at', last?.at ?? null);
          break;
        }
        case 'clientName':
        case 'channel':
        case 'sessionKey':
        case 'startedAt':
        case 'lastActivityAt':
        case 'state':
        case 'pausedAt':
        case 'pauseReason':
        case 'pauseEpoch':
        case 'lastSeq':
        case 'fellBack':
        case 'waitingSince':
        case 'readOnly':
          set(CONVERSATION_COLUMN[field], value);
          break;
        case 'online':
          throw new Error('updateConversation: online is the sum of the instances’ presence: change it with changePresence');
        case 'id':
        case 'bot':
          throw new Error(`updateConversation: ${field} never changes`);
        default:
          // A field the type does not know (the patch came through a cast): refuse it rather than drop it.
          throw new Error(`updateConversation: unknown field ${String(field satisfies never)}`);
      }
    }
    if (columns.length === 0) return;
    await this.send({ text: `UPDATE conversations SET ${columns.join(', ')} WHERE id = $1`, values });
  }

  recordLastMessage(id: string, last: NonNullable<ConversationRow['lastMessage']>): Promise<void> {
    return this.send({
      name: 'lts_record_last_message',
      text: 'UPDATE conversations SET last_seq = $2, last_activity_at = $3, last_author = $4, last_text = $5, last_at = $3 WHERE id = $1',
      values: [id, last.seq, last.at, last.author, last.text],
    });
  }

  // ---- messages ----

  insertMessage(row: MessageRow): Promise<void> {
    return this.send({
      name: 'lts_insert_message',
      text: `INSERT INTO messages (conversation_id, seq, author, text, at, designer_id, designer_name, notice, match, client_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      values: messageValues(row),
    });
  }

  // ---- presence ----

  async changePresence(conversationId: string, instanceId: string, delta: 1 | -1): Promise<number> {
    // The conversation row is locked first, so the sum below (a new statement, a new snapshot in READ COMMITTED) sees
    // every other instance's committed change: they all take the same lock before changing their count.
    const locked = await this.one({ name: 'lts_lock_conversation_id', text: 'SELECT id FROM conversations WHERE id = $1 FOR UPDATE', values: [conversationId] });
    if (!locked) return 0;
    await this.send({
      name: 'lts_change_presence',
      text: `INSERT INTO conversation_presence (conversation_id, instance_id, open) VALUES ($1, $2, GREATEST($3::int, 0))
        ON CONFLICT (conversation_id, instance_id) DO UPDATE SET open = GREATEST(conversation_presence.open + $3::int, 0)`,
      values: [conversationId, instanceId, delta],
    });
    await this.send({
      name: 'lts_drop_closed_presence',
      text: 'DELETE FROM conversation_presence WHERE conversation_id = $1 AND instance_id = $2 AND open = 0',
      values: [conversationId, instanceId],
    });
    const row = await this.one({
      name: 'lts_sum_presence',
      text: `UPDATE conversations SET online = (SELECT COALESCE(SUM(open), 0) FROM conversation_presence WHERE conversation_id = $1)
        WHERE id = $1 RETURNING online`,
      values: [conversationId],
    });
    return row!.online as number;
  }

  /** The conversations with an open channel on this instance (clearPresence, postgres-storage.ts). */
  async conversationsPresentOn(instanceId: string): Promise<string[]> {
    const rows = await this.run({
      name: 'lts_presence_of_instance',
      text: 'SELECT conversation_id FROM conversation_presence WHERE instance_id = $1',
      values: [instanceId],
    });
    return rows.map((r) => r.conversation_id as string);
  }

  /** Takes the instance's counts away from these conversations; resolves with those that have nobody left online. */
  async dropInstancePresence(instanceId: string, conversationIds: string[]): Promise<string[]> {
    // Locked in one order (by id), as changePresence locks one at a time: two instances clearing at once cannot
    // deadlock each other.
    await this.run({
      name: 'lts_lock_conversations',
      text: 'SELECT id FROM conversations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
      values: [conversationIds],
    });
    await this.send({
      name: 'lts_drop_instance_presence',
      text: 'DELETE FROM conversation_presence WHERE instance_id = $1 AND conversation_id = ANY($2::text[])',
      values: [instanceId, conversationIds],
    });
    const rows = await this.run({
      name: 'lts_resum_presence',
      text: `UPDATE conversations c SET online = (SELECT COALESCE(SUM(p.open), 0) FROM conversation_presence p WHERE p.conversation_id = c.id)
        WHERE c.id = ANY($1::text[]) RETURNING c.id, c.online`,
      values: [conversationIds],
    });
    return rows.filter((r) => r.online === 0).map((r) => r.id as string);
  }

  // ---- AIML client state ----

  saveClientState(bot: string, clientKey: string, state: string, at: number): Promise<void> {
    return this.send({
      name: 'lts_save_client_state',
      text: `INSERT INTO client_state (bot, client_key, state, at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (bot, client_key) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at`,
      values: [bot, clientKey, state, at],
    });
  }

  // ---- designers ----

  async insertDesigner(d: DesignerRow): Promise<void> {
    await this.run({
      name: 'lts_insert_designer',
      text: 'INSERT INTO designers (id, name, token_hash, created_at, last_activity_at) VALUES ($1, $2, $3, $4, $5)',
      values: [d.id, d.name, d.tokenHash, d.createdAt, d.lastActivityAt],
    });
  }

  touchDesigner(id: string, at: number): Promise<void> {
    return this.send({
      name: 'lts_touch_designer',
      text: 'UPDATE designers SET last_activity_at = GREATEST(COALESCE(last_activity_at, 0), $2) WHERE id = $1',
      values: [id, at],
    });
  }

  // ---- at-most-once designer commands ----

  async recordCommand(designerId: string, clientId: string, method: string, result: unknown, at: number): Promise<boolean> {
    const rows = await this.run({
      name: 'lts_record_command',
      text: `INSERT INTO designer_commands (designer_id, client_id, method, result, at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (designer_id, client_id) DO NOTHING RETURNING 1 AS inserted`,
      values: [designerId, clientId, method, JSON.stringify(result), at],
    });
    return rows.length > 0;
  }

  pruneCommands(before: number): Promise<void> {
    return this.send({ name: 'lts_prune_commands', text: 'DELETE FROM designer_commands WHERE at < $1', values: [before] });
  }

  // ---- visitors' content reports ----

  async insertContentReport(report: Omit<ContentReport, 'id'>): Promise<ContentReport> {
    const row = await this.one({
      name: 'lts_insert_report',
      text: 'INSERT INTO content_reports (bot, reason, details, at) VALUES ($1, $2, $3, $4) RETURNING id',
      values: [report.bot, report.reason, report.details, report.at],
    });
    return { id: row!.id as number, ...report };
  }
}
