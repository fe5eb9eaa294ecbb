import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../protocol/errors.js';
import type { DomainEvent } from '../../../protocol/designer-wire.js';
import { toFtsQuery } from '../../../server/conversations/search-query.js';
import { migratePostgres } from '../../../server/storage/postgres-migrations.js';
import { POSTGRES_MIGRATIONS } from '../../../server/storage/postgres-schema.js';
import { MESSAGES_OF_BOT_PAGE } from '../../../server/storage/postgres-reads.js';
import { openPostgresStorage, type PostgresStorage } from '../../../server/storage/postgres-storage.js';
import { newConversationRow, type ConversationRow, type MessageRow } from '../../../server/storage/rows.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';

/** What only the PostgreSQL backend has to prove: concurrency between instances, migrations, losing the server. */

const conversation = (id: string, patch: Partial<ConversationRow> = {}): ConversationRow =>
  newConversationRow({ id, bot: 'demo', clientName: `Rusty ${id}`, channel: 'landing', sessionKey: `session-${id}`, startedAt: 1_000, ...patch });

const message = (conversationId: string, seq: number, text: string, at = 2_000 + seq): MessageRow => ({
  conversationId,
  seq,
  author: 'user',
  text,
  at,
  designer: null,
  notice: null,
  match: null,
  clientId: null,
});

const event = (conversationId: string): DomainEvent => ({ type: 'conversation.resumed', conversationId, reason: 'designer', at: 1 }) as DomainEvent;

describe.skipIf(!postgresInstalled.met)(needing('PostgreSQL storage', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  const opened: PostgresStorage[] = [];

  const open = async (url?: string): Promise<PostgresStorage> => {
    const storage = await openPostgresStorage(url ?? (await server.createDatabase()), { log: () => {} });
    opened.push(storage);
    return storage;
  };

  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });

  afterAll(async () => {
    for (const storage of opened) await storage.close().catch(() => {});
    await server?.destroy();
  });

  describe('migrations', () => {
    it('applies every migration exactly once when run twice at the same time', async () => {
      const url = await server.createDatabase();
      const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
      await Promise.all(clients.map((c) => c.connect()));
      try {
        const applied = await Promise.all(clients.map((c) => migratePostgres(c)));
        // One of them applied everything, the other found nothing left to do.
        expect(applied.map((a) => a.length).sort()).toEqual([0, POSTGRES_MIGRATIONS.length]);
        const { rows } = await clients[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r: { version: number }) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
    });

    it('lets three instances start at once on an empty database, and all of them work', async () => {
      const url = await server.createDatabase();
      const instances = await Promise.all([open(url), open(url), open(url)]);
      await instances[0]!.transaction((tx) => tx.insertConversation(conversation('c1')));
      for (const instance of instances) expect((await instance.getConversation('c1'))?.clientName).toBe('Rusty c1');
    });

    it('keeps working when a newer instance changes the schema under its prepared statements (a rolling upgrade)', async () => {
      const url = await server.createDatabase();
      const older = await openPostgresStorage(url, { log: () => {}, poolSize: 1 });
      opened.push(older);
      await older.transaction((tx) => tx.insertConversation(conversation('up')));
      // Prepared on the one pooled connection, as a running instance has them.
      expect((await older.getConversation('up'))?.id).toBe('up');
      await older.transaction((tx) => tx.lockConversation('up'));
      const newer = new pg.Client({ connectionString: url });
      await newer.connect();
      await newer.query('ALTER TABLE conversations ADD COLUMN added_by_a_newer_version INTEGER');
      await newer.end();
      expect((await older.getConversation('up'))?.id).toBe('up');
      expect(await older.transaction(async (tx) => (await tx.lockConversation('up'))?.id)).toBe('up');
    });

    it('refuses to start on a database migrated by a newer Platform, naming both versions', async () => {
      const url = await server.createDatabase();
      await open(url);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const newer = POSTGRES_MIGRATIONS.length + 1;
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)', [newer]);
      await client.end();
      await expect(openPostgresStorage(url, { log: () => {} })).rejects.toThrow(
        `the database schema is at version ${newer}, newer than this Platform knows (version ${POSTGRES_MIGRATIONS.length})`,
      );
    });
  });

  describe('an unreachable database', () => {
    it('at start: rejects with one line naming host:port and the cause', async () => {
      // Port 1 (tcpmux) is privileged and unused: nothing listens there.
      const url = 'postgres://postgres:secret@127.0.0.1:1/nothing';
      const error = await openPostgresStorage(url, { log: () => {} }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/^cannot reach PostgreSQL at 127\.0\.0\.1:1: .*ECONNREFUSED/);
      expect(error?.message).not.toContain('\n');
      expect(error?.message).not.toContain('secret');
    });

    it('refuses a URL that is not a postgres:// URL, without repeating it (it may hold a password)', async () => {
      await expect(openPostgresStorage('secret-nonsense')).rejects.toThrow('the database URL is not a valid URL; it must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE');
      await expect(openPostgresStorage('mysql://u:secret@db/x')).rejects.toThrow('the database URL must start with postgres:// (it starts with mysql://)');
    });

    it('while running: not healthy, writes refused with a clear error, and back by itself when the server returns', async () => {
      const storage = await open();
      await storage.transaction((tx) => tx.insertConversation(conversation('before')));
      expect(storage.healthy).toBe(true);

      await server.stopServer();
      try {
        const lost = await storage.getConversation('before').catch((e: unknown) => e);
        expect(lost).toBeInstanceOf(AppError);
        expect((lost as AppError).code).toBe('database_unreachable');
        expect(storage.healthy).toBe(false);
        const refused = await storage.transaction((tx) => tx.insertConversation(conversation('while-down'))).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(AppError);
        expect((refused as AppError).code).toBe('database_unreachable');
        expect((refused as AppError).message).toContain(`PostgreSQL at 127.0.0.1:${server.port}`);
      } finally {
        await server.startServer();
      }

      await vi.waitFor(() => expect(storage.healthy).toBe(true), { timeout: 20_000, interval: 100 });
      await storage.transaction((tx) => tx.insertConversation(conversation('after')));
      expect((await storage.getConversation('after'))?.id).toBe('after');
      // What was refused was never stored.
      expect(await storage.getConversation('while-down')).toBeUndefined();
    });
  });

  describe('losing the server in the middle of a transaction', () => {
    it('rejects the transaction as unreachable, runs none of its afterCommit work, stores nothing, and recovers', async () => {
      const storage = await open();
      await storage.transaction((tx) => tx.insertConversation(conversation('mid')));
      let resume!: () => void;
      const paused = new Promise<void>((resolve) => {
        resume = resolve;
      });
      let inside!: () => void;
      const started = new Promise<void>((resolve) => {
        inside = resolve;
      });
      const acknowledged: string[] = [];
      const outcome = storage
        .transaction(async (tx) => {
          await tx.lockConversation('mid');
          await tx.updateConversation('mid', { fellBack: true });
          tx.afterCommit(() => acknowledged.push('stored'));
          inside();
          await paused;
          await tx.insertMessage(message('mid', 1, 'after the loss'));
        })
        .catch((e: unknown) => e);
      await started;
      await server.stopServer();
      resume();
      try {
        const error = await outcome;
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('database_unreachable');
        expect(acknowledged).toEqual([]);
        expect(storage.healthy).toBe(false);
      } finally {
        await server.startServer();
      }
      await vi.waitFor(() => expect(storage.healthy).toBe(true), { timeout: 20_000, interval: 100 });
      expect((await storage.getConversation('mid'))?.fellBack).toBe(false);
      expect(await storage.messagesAfter('mid', 0, 10)).toEqual([]);
    });
  });

  describe('data', () => {
    let storage: PostgresStorage;
    beforeAll(async () => {
      storage = await open();
    });

    it('keeps epoch milliseconds past 2^31 and up to 2^53 - 1 as numbers', async () => {
      const big = Number.MAX_SAFE_INTEGER;
      await storage.transaction(async (tx) => {
        await tx.insertConversation(conversation('big', { startedAt: 1_765_000_000_123, lastActivityAt: big, waitingSince: big - 1 }));
        await tx.insertMessage(message('big', 1, 'hello', big));
      });
      const back = await storage.getConversation('big');
      expect(back?.startedAt).toBe(1_765_000_000_123);
      expect(back?.lastActivityAt).toBe(big);
      expect(back?.waitingSince).toBe(big - 1);
      const [m] = await storage.messagesAfter('big', 0, 10);
      expect(m?.at).toBe(big);
      expect(typeof m?.at).toBe('number');
    });

    it('refuses text with a NUL character clearly, storing nothing of the transaction', async () => {
      const refused = await storage
        .transaction(async (tx) => {
          await tx.insertConversation(conversation('nul'));
          await tx.insertMessage(message('nul', 1, 'a\u0000b'));
        })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('invalid');
      expect((refused as AppError).message).toContain('NUL character (U+0000)');
      expect(await storage.getConversation('nul')).toBeUndefined();
    });

    it('finds conversations by the start of every word typed, ignoring case, and nothing else', async () => {
      await storage.transaction(async (tx) => {
        await tx.insertConversation(conversation('fts-a', { bot: 'fts', lastActivityAt: 3 }));
        await tx.insertMessage(message('fts-a', 1, 'Hello there, I need a Refund please'));
        await tx.insertConversation(conversation('fts-b', { bot: 'fts', lastActivityAt: 2 }));
        await tx.insertMessage(message('fts-b', 1, 'hello world'));
        await tx.insertConversation(conversation('fts-c', { bot: 'fts', lastActivityAt: 1, clientName: 'Helga Gear' }));
        await tx.insertMessage(message('fts-c', 1, 'nothing to see'));
      });
      const search = async (typed: string) =>
        (await storage.listConversations({ bot: 'fts', filter: 'all', match: toFtsQuery(typed)!, limit: 10 })).map((c) => c.id);
      expect(await search('hel')).toEqual(['fts-a', 'fts-b']);
      expect(await search('HEL ref')).toEqual(['fts-a']);
      expect(await search('wor hel')).toEqual(['fts-b']);
      expect(await search('refunds')).toEqual([]);
      // FTS and tsquery syntax in what was typed is taken literally, never an error.
      expect(await search('hel" & ! : * NEAR(')).toEqual([]);
      expect(await search("it's")).toEqual([]);
      // As SQLite's FTS5 does: accents folded both ways, and the parts of addresses and numbers found on their own.
      await storage.transaction(async (tx) => {
        await tx.insertConversation(conversation('fts-d', { bot: 'fts', lastActivityAt: 0 }));
        await tx.insertMessage(message('fts-d', 1, 'Un café crème? Write to sales@example.com, version 3.14'));
      });
      expect(await search('cafe creme')).toEqual(['fts-d']);
      expect(await search('CAFÉ')).toEqual(['fts-d']);
      expect(await search('exam')).toEqual(['fts-d']);
      expect(await search('sales com')).toEqual(['fts-d']);
      expect(await search('14')).toEqual(['fts-d']);
      // The client name is searched too, as a substring.
      const byName = await storage.listConversations({ bot: 'fts', filter: 'all', match: toFtsQuery('helga')!, nameLike: 'helga', limit: 10 });
      expect(byName.map((c) => c.id)).toEqual(['fts-c']);
    });

    it('reads a bot log of more than one page in order, each message once', async () => {
      const total = MESSAGES_OF_BOT_PAGE * 2 + 7;
      await storage.transaction(async (tx) => {
        await tx.insertConversation(conversation('log-a', { bot: 'logs' }));
        await tx.insertConversation(conversation('log-b', { bot: 'logs' }));
        // Two conversations with messages at the same times: the order falls back to conversation, then seq.
        for (let i = 1; i <= total; i++) await tx.insertMessage(message(i % 2 ? 'log-a' : 'log-b', i, `m${i}`, 10_000 + Math.floor(i / 2)));
      });
      const seen: string[] = [];
      for await (const m of storage.messagesOfBot('logs', {})) seen.push(m.text);
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      const expected = Array.from({ length: total }, (_, k) => k + 1)
        .map((i) => ({ i, at: 10_000 + Math.floor(i / 2), c: i % 2 ? 'log-a' : 'log-b' }))
        .sort((x, y) => x.at - y.at || x.c.localeCompare(y.c) || x.i - y.i)
        .map((x) => `m${x.i}`);
      expect(seen).toEqual(expected);
      const ranged: string[] = [];
      for await (const m of storage.messagesOfBot('logs', { from: 10_100, to: 10_102 })) ranged.push(`${m.text}@${m.at}:${m.clientName}`);
      expect(ranged).toEqual(['m201@10100:Rusty log-a', 'm200@10100:Rusty log-b', 'm203@10101:Rusty log-a', 'm202@10101:Rusty log-b']);
    });
  });

  describe('concurrency', () => {
    let storage: PostgresStorage;
    let other: PostgresStorage;
    let url: string;
    beforeAll(async () => {
      url = await server.createDatabase();
      storage = await open(url);
      other = await open(url);
    });

    it('gives gap-free event ids under 20 concurrent transactions, some of which roll back', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? storage : other).transaction(async (tx) => {
            const envelope = await tx.appendEvent('busy', i, event(`c${i}`));
            if (i % 5 === 0) throw new Error(`roll back ${i}`);
            return envelope.id;
          }),
        ),
      );
      const committed = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
      expect(committed).toHaveLength(16);
      expect([...committed].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, k) => k + 1));
      const log = await storage.eventsAfter('busy', 0, 100);
      expect(log.map((e) => e.id)).toEqual(Array.from({ length: 16 }, (_, k) => k + 1));
      expect(await storage.lastEventId('busy')).toBe(16);
    });

    it('lets exactly one of two concurrent takeovers win, the other seeing the winner', async () => {
      await storage.transaction((tx) => tx.insertConversation(conversation('race')));
      let releaseFirst!: () => void;
      const firstHoldsLock = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let firstLocked!: () => void;
      const locked = new Promise<void>((resolve) => {
        firstLocked = resolve;
      });
      const takeOver = (who: StorageLike, designer: string, hold: boolean) =>
        who.transaction(async (tx) => {
          const c = await tx.lockConversation('race');
          if (hold) {
            firstLocked();
            await firstHoldsLock;
          }
          if (!c || c.state === 'paused') return { designer, won: false, holder: c?.heldBy?.name };
          await tx.updateConversation('race', { state: 'paused', heldBy: { id: designer, name: designer }, pauseEpoch: c.pauseEpoch + 1 });
          return { designer, won: true, holder: designer };
        });
      const first = takeOver(storage, 'Ada', true);
      await locked;
      const second = takeOver(other, 'Grace', false);
      // Let the first commit only once the second is really waiting for the row lock (seen by the server).
      await vi.waitFor(async () => expect(await waitingForLock(url)).toBeGreaterThan(0), { timeout: 20_000, interval: 50 });
      releaseFirst();
      const outcomes = await Promise.all([first, second]);
      expect(outcomes.filter((o) => o.won).map((o) => o.designer)).toEqual(['Ada']);
      expect(outcomes[1]).toEqual({ designer: 'Grace', won: false, holder: 'Ada' });
      const after = await other.getConversation('race');
      expect(after?.heldBy?.name).toBe('Ada');
      expect(after?.pauseEpoch).toBe(1);
    });

    it('retries the whole transaction when PostgreSQL picks it as a deadlock victim, so both finish', async () => {
      await storage.transaction(async (tx) => {
        await tx.insertConversation(conversation('dl-a'));
        await tx.insertConversation(conversation('dl-b'));
      });
      // Each holds its first lock until the other holds its own, then asks for the other's: a deadlock, every time.
      const held = { a: false, b: false };
      const bothHeld = () => vi.waitFor(() => expect(held.a && held.b).toBe(true), { timeout: 20_000, interval: 10 });
      let runs = 0;
      const crosswise = (who: PostgresStorage, first: 'a' | 'b', second: 'a' | 'b') =>
        who.transaction(async (tx) => {
          runs++;
          await tx.lockConversation(`dl-${first}`);
          held[first] = true;
          await bothHeld();
          await tx.lockConversation(`dl-${second}`);
          await tx.updateConversation(`dl-${second}`, { fellBack: true });
          return first;
        });
      const outcomes = await Promise.all([crosswise(storage, 'a', 'b'), crosswise(other, 'b', 'a')]);
      expect(outcomes).toEqual(['a', 'b']);
      // Two first runs, and at least one more for the victim (its retry may win the row back and deadlock again).
      expect(runs).toBeGreaterThanOrEqual(3);
      expect((await storage.getConversation('dl-a'))?.fellBack).toBe(true);
      expect((await storage.getConversation('dl-b'))?.fellBack).toBe(true);
    });

    it('frees the locks of a transaction that hangs on its instance, so other instances are not blocked for ever', async () => {
      await storage.transaction((tx) => tx.insertConversation(conversation('hung')));
      const hanging = await openPostgresStorage(url, { log: () => {}, idleInTransactionTimeoutMs: 300 });
      opened.push(hanging);
      let wakeUp!: () => void;
      const asleep = new Promise<void>((resolve) => {
        wakeUp = resolve;
      });
      let holding!: () => void;
      const holds = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const hung = hanging.transaction(async (tx) => {
        await tx.lockConversation('hung');
        holding();
        await asleep;
        await tx.updateConversation('hung', { state: 'paused', heldBy: { id: 'd1', name: 'Frozen' } });
      });
      const hungOutcome = hung.then(
        () => 'committed',
        (e: unknown) => `failed: ${(e as Error).message}`,
      );
      await holds;
      // The server ends the hung session after 300 ms idle in its transaction; then the takeover gets the lock.
      await other.transaction(async (tx) => {
        await tx.lockConversation('hung');
        await tx.updateConversation('hung', { state: 'paused', heldBy: { id: 'd2', name: 'Awake' } });
      });
      wakeUp();
      expect(await hungOutcome).toBe('failed: terminating connection due to idle-in-transaction timeout');
      // The server ended one session; the database was never lost.
      expect(hanging.healthy).toBe(true);
      expect((await storage.getConversation('hung'))?.heldBy?.name).toBe('Awake');
    });

    it('says the instance is overloaded, not the database lost, when no pooled connection comes free in time', async () => {
      const small = await openPostgresStorage(url, { log: () => {}, poolSize: 1, connectTimeoutMs: 200 });
      opened.push(small);
      let release!: () => void;
      const busy = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started!: () => void;
      const holding = new Promise<void>((resolve) => {
        started = resolve;
      });
      const holder = small.transaction(async (tx) => {
        await tx.ensureBot('busy-pool');
        started();
        await busy;
      });
      await holding;
      await expect(small.transaction((tx) => tx.ensureBot('waiting'))).rejects.toThrow(/stayed busy for 200 ms \(this instance is overloaded/);
      expect(small.healthy).toBe(true);
      release();
      await holder;
    });

    it('records a designer command once: of two concurrent identical records, one is told it was first', async () => {
      const outcomes = await Promise.all([storage, other].map((s) => s.transaction((tx) => tx.recordCommand('d1', 'req-1', 'conversation.reply', { ok: 1 }, 5))));
      expect(outcomes.sort()).toEqual([false, true]);
      expect(await storage.commandResult('d1', 'req-1')).toEqual({ method: 'conversation.reply', result: { ok: 1 } });
    });

    it('counts presence per instance: clearing one instance leaves the users of the other online', async () => {
      await storage.transaction(async (tx) => {
        await tx.insertConversation(conversation('p-both'));
        await tx.insertConversation(conversation('p-only-a'));
      });
      expect(await storage.transaction((tx) => tx.changePresence('p-both', 'instance-a', 1))).toBe(1);
      expect(await other.transaction((tx) => tx.changePresence('p-both', 'instance-b', 1))).toBe(2);
      expect(await storage.transaction((tx) => tx.changePresence('p-only-a', 'instance-a', 1))).toBe(1);
      expect(await storage.transaction((tx) => tx.changePresence('p-only-a', 'instance-a', 1))).toBe(2);
      expect(await storage.clearPresence('instance-a')).toEqual(['p-only-a']);
      expect((await storage.getConversation('p-both'))?.online).toBe(1);
      expect((await storage.getConversation('p-only-a'))?.online).toBe(0);
      // A close the instance no longer counts (it was cleared) does not go below zero or touch the other instance.
      expect(await storage.transaction((tx) => tx.changePresence('p-both', 'instance-a', -1))).toBe(1);
      expect(await other.transaction((tx) => tx.changePresence('p-both', 'instance-b', -1))).toBe(0);
      const live = await storage.listConversations({ filter: 'live', limit: 10 });
      expect(live.map((c) => c.id)).not.toContain('p-both');
    });
  });
});

type StorageLike = Pick<PostgresStorage, 'transaction'>;

/** How many connections to this database wait for a lock right now, as the server sees them. */
async function waitingForLock(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}
