/**
 * The PostgreSQL tables of the learned categories (postgres-learned-store.ts), appended to the storage's migrations
 * (server/storage/postgres-schema.ts), so they are versioned and applied once like the rest of the schema. The same
 * tables as `learned.db` (sqlite-learned-store.ts), with these differences, each for a reason:
 * - The unique key (bot, pattern, that, topic) is an index on an md5 of the three, and the unanswered groups are keyed
 *   by an md5 of their input: each may be 2,000 characters (up to 8,000 bytes), beyond what a btree entry holds.
 * - Ids are `COLLATE "C"`, so `list` pages in the same byte order as SQLite.
 * - Times are BIGINT epoch ms; JSON bodies stay TEXT (read back byte for byte).
 */
export const LEARNED_MIGRATION = `
  CREATE TABLE learned_categories (
    bot TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    pattern TEXT NOT NULL,
    that TEXT NOT NULL,
    topic TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (bot, id)
  );
  CREATE UNIQUE INDEX learned_categories_key ON learned_categories (bot, md5(pattern || chr(1) || that || chr(1) || topic));

  CREATE TABLE learned_history (
    seq BIGSERIAL PRIMARY KEY,
    bot TEXT COLLATE "C" NOT NULL,
    op_id TEXT NOT NULL,
    category_id TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX learned_history_category ON learned_history (bot, category_id, seq);
  CREATE INDEX learned_history_op ON learned_history (bot, op_id);

  -- How far each bot's event log was turned into categories; the capture transaction locks its row (one capture of
  -- a reply whichever instances consume the log).
  CREATE TABLE learned_watermarks (bot TEXT COLLATE "C" PRIMARY KEY, event_id BIGINT NOT NULL);

  CREATE TABLE learned_capture_links (
    conversation_id TEXT PRIMARY KEY,
    category_id TEXT NOT NULL,
    input_seq INTEGER NOT NULL,
    last_reply_seq INTEGER NOT NULL
  );

  CREATE TABLE learned_unanswered (
    bot TEXT COLLATE "C" NOT NULL,
    group_key TEXT NOT NULL,
    example TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    ignored BOOLEAN NOT NULL DEFAULT FALSE,
    group_hash TEXT GENERATED ALWAYS AS (md5(group_key)) STORED,
    PRIMARY KEY (bot, group_hash)
  );
  CREATE INDEX learned_unanswered_count ON learned_unanswered (bot, count DESC);

  CREATE TABLE learned_unanswered_conversations (
    bot TEXT COLLATE "C" NOT NULL,
    group_key TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    group_hash TEXT GENERATED ALWAYS AS (md5(group_key)) STORED,
    PRIMARY KEY (bot, group_hash, conversation_id)
  );
`;
