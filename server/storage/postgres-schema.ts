import { BOT_FILES_MIGRATION } from '../bots/bot-files-migration.js';
import { LEARNED_MIGRATION } from '../training/postgres-learned-migration.js';
import { RATE_LIMIT_MIGRATION } from '../limits/rate-limit-migration.js';

/**
 * The PostgreSQL schema, as ordered migrations: version N is `POSTGRES_MIGRATIONS[N - 1]`, recorded in
 * `schema_migrations` in the same transaction that applies it (see postgres-migrations.ts). Never edit a migration
 * that has shipped: add the next one.
 *
 * The same tables as SQLite (schema.ts), with these differences, each for a reason:
 * - Times are epoch ms in BIGINT (INTEGER would overflow in 2038's worth of milliseconds: it is 32 bits here).
 * - Ids and names that lists are ordered by are `COLLATE "C"`: byte order, as SQLite compares, whatever the database's
 *   locale, so keyset cursors and orders are the same on both backends.
 * - JSON stays TEXT: written and read back byte for byte as SQLite does (jsonb reorders keys and refuses \u0000).
 * - Full-text search is a GIN index on to_tsvector('simple', lts_search_text(text)) instead of FTS5 (postgres-search.ts
 *   translates the query). The database must be UTF8 (normalize() needs it; it is PostgreSQL's usual encoding).
 * - Presence is counted per instance (conversation_presence); `conversations.online` is their sum, kept in the same
 *   transaction, so the inbox's "live" filter stays one indexed column.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE bots (
    name TEXT COLLATE "C" PRIMARY KEY,
    last_event_id BIGINT NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}'
  );

  CREATE TABLE events (
    bot TEXT COLLATE "C" NOT NULL,
    id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (bot, id)
  );

  CREATE TABLE designers (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_activity_at BIGINT
  );

  CREATE TABLE conversations (
    id TEXT COLLATE "C" PRIMARY KEY,
    bot TEXT COLLATE "C" NOT NULL,
    client_name TEXT NOT NULL,
    channel TEXT NOT NULL,
    session_key TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    held_by_id TEXT,
    held_by_name TEXT,
    paused_at BIGINT,
    pause_reason TEXT,
    pause_epoch INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_author TEXT,
    last_text TEXT,
    last_at BIGINT,
    fell_back BOOLEAN NOT NULL DEFAULT FALSE,
    waiting_since BIGINT,
    online INTEGER NOT NULL DEFAULT 0,
    read_only BOOLEAN NOT NULL DEFAULT FALSE
  );
  CREATE UNIQUE INDEX conversations_session ON conversations (bot, session_key);
  CREATE INDEX conversations_recent ON conversations (last_activity_at DESC, id DESC);
  CREATE INDEX conversations_bot_recent ON conversations (bot, last_activity_at DESC, id DESC);
  CREATE INDEX conversations_bot_client_name ON conversations (bot, client_name);
  CREATE INDEX conversations_paused ON conversations (state) WHERE state = 'paused';
  CREATE INDEX conversations_live ON conversations (last_activity_at DESC, id DESC) WHERE online > 0;

  CREATE TABLE messages (
    conversation_id TEXT COLLATE "C" NOT NULL,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    designer_id TEXT,
    designer_name TEXT,
    notice TEXT,
    match TEXT,
    client_id TEXT,
    PRIMARY KEY (conversation_id, seq)
  );
  CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL;
  CREATE INDEX messages_at ON messages (at, conversation_id, seq);
  -- What the search sees of a text, as SQLite's FTS5 (unicode61, remove_diacritics 2) sees it: accents folded ("café"
  -- is found by "cafe"), and the characters that make PostgreSQL's parser keep a whole e-mail address, host, path or
  -- number ("foo@bar.com", "3.14") as one token are separators, so each part is found by its own first letters.
  CREATE FUNCTION lts_search_text(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate(regexp_replace(normalize($1, NFD), '[\\u0300-\\u036f]+', '', 'g'), '@./:', '    ') $$;
  CREATE INDEX messages_text_search ON messages USING GIN (to_tsvector('simple', lts_search_text(text)));

  CREATE TABLE designer_commands (
    designer_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    method TEXT NOT NULL,
    result TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (designer_id, client_id)
  );
  CREATE INDEX designer_commands_at ON designer_commands (at);

  -- Visitors' "Report content" from a Landing Page. Anonymous on purpose: no address or session is kept.
  CREATE TABLE content_reports (
    id BIGSERIAL PRIMARY KEY,
    bot TEXT NOT NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX content_reports_bot ON content_reports (bot, id DESC);

  -- Open end-user channels per conversation and Platform instance: an instance that dies takes only its own away.
  CREATE TABLE conversation_presence (
    conversation_id TEXT COLLATE "C" NOT NULL,
    instance_id TEXT NOT NULL,
    open INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, instance_id)
  );
  CREATE INDEX conversation_presence_instance ON conversation_presence (instance_id);

  -- AIML client state (predicates, <that> history, per-client <learn>), so a user can move between instances.
  CREATE TABLE client_state (
    bot TEXT NOT NULL,
    client_key TEXT NOT NULL,
    state TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (bot, client_key)
  );

  -- Live Platform instances and their last heartbeat (the cluster's liveness).
  CREATE TABLE instances (
    id TEXT PRIMARY KEY,
    heartbeat_at BIGINT NOT NULL
  );
  `,
  BOT_FILES_MIGRATION,
  LEARNED_MIGRATION,
  RATE_LIMIT_MIGRATION,
];
