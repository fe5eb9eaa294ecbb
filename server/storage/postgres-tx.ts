import type pg from 'pg';
import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationRow, DesignerRow, MessageRow } from './rows.js';
import type { StorageTx } from './storage.js';
import { explainRefusal } from './postgres-health.js';
import { PostgresReads, type Query } from './postgres-reads.js';
import { CONVERSATION_COLUMN, CONVERSATION_INSERT_COLUMNS, conversationValues, messageValues, toConversation, type Row } from './postgres-rows.js';

/**
 * One PostgreSQL transaction, on the connection the storage took for it (READ COMMITTED). The locks (`lock*`, and the
 * bot row that `appendEvent` updates) are row locks held until COMMIT or ROLLBACK; that is what makes takeover exclusive
 * and event ids gap-free in commit order across instances.
 */
export class PostgresTx extends PostgresReads implements StorageTx {
  /** Work for after the commit, in the order queued; dropped when the transaction rolls back. */
  readonly committed: Array<() => void> = [];
  private finished = false;

  constructor(private readonly client: pg.ClientBase) {
    super();
  }

  /** After COMMIT or ROLLBACK the connection goes back to the pool: a late call must not run in someone else's work. */
  finish(): void {
    this.finished = true;
  }

  protected async run(query: Query): Promise<Row[]> {
    if (this.finished) throw new Error('this transaction has ended: use the storage, or pass the transaction down while it runs');
    try {
      return (await this.client.query<Row>(query)).rows;
    } catch (error) {
      throw explainRefusal(error);
    }
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
    await this.run({ name: 'lts_ensure_bot', text: 'INSERT INTO bots (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', values: [bot] });
    await this.run({ name: 'lts_lock_bot', text: 'SELECT 1 FROM bots WHERE name = $1 FOR UPDATE', values: [bot] });
  }

  async lockConversation(id: string): Promise<ConversationRow | undefined> {
    const row = await this.one({ name: 'lts_lock_conversation', text: 'SELECT * FROM conversations WHERE id = $1 FOR UPDATE', values: [id] });
    return row && toConversation(row);
  }

  // ---- bots and their event logs ----

  async ensureBot(bot: string): Promise<void> {
    await this.run({ name: 'lts_ensure_bot', text: 'INSERT INTO bots (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', values: [bot] });
  }

  async setSettingsOverrides(bot: string, overrides: unknown): Promise<void> {
    await this.run({
      name: 'lts_set_settings',
      text: 'INSERT INTO bots (name, settings) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET settings = EXCLUDED.settings',
      values: [bot, JSON.stringify(overrides)],
    });
  }

  async appendEvent(bot: string, at: number, event: DomainEvent): Promise<EventEnvelope> {
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
    return { bot, id: row!.id as number, at, event };
  }

  async pruneEvents(bot: string, keep: number): Promise<void> {
    await this.run({
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
    await this.run({ text: `UPDATE conversations SET ${columns.join(', ')} WHERE id = $1`, values });
  }

  async recordLastMessage(id: string, last: NonNullable<ConversationRow['lastMessage']>): Promise<void> {
    await this.run({
      name: 'lts_record_last_message',
      text: 'UPDATE conversations SET last_seq = $2, last_activity_at = $3, last_author = $4, last_text = $5, last_at = $3 WHERE id = $1',
      values: [id, last.seq, last.at, last.author, last.text],
    });
  }

  // ---- messages ----

  async insertMessage(row: MessageRow): Promise<void> {
    await this.run({
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
    await this.run({
      name: 'lts_change_presence',
      text: `INSERT INTO conversation_presence (conversation_id, instance_id, open) VALUES ($1, $2, GREATEST($3::int, 0))
        ON CONFLICT (conversation_id, instance_id) DO UPDATE SET open = GREATEST(conversation_presence.open + $3::int, 0)`,
      values: [conversationId, instanceId, delta],
    });
    await this.run({
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
    await this.run({
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

  async saveClientState(bot: string, clientKey: string, state: string, at: number): Promise<void> {
    await this.run({
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

  async touchDesigner(id: string, at: number): Promise<void> {
    await this.run({
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

  async pruneCommands(before: number): Promise<void> {
    await this.run({ name: 'lts_prune_commands', text: 'DELETE FROM designer_commands WHERE at < $1', values: [before] });
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
