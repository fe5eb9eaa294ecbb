/**
 * The SQLite schema, as ordered migrations. `PRAGMA user_version` records how many have run; a migration runs in
 * the same transaction as the version bump, so a crash mid-migration leaves the previous version intact.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE bots (
    name TEXT PRIMARY KEY,
    last_event_id INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}'
  );

  CREATE TABLE events (
    bot TEXT NOT NULL,
    id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (bot, id)
  ) WITHOUT ROWID;

  CREATE TABLE designers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_activity_at INTEGER
  );

  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    bot TEXT NOT NULL,
    client_name TEXT NOT NULL,
    channel TEXT NOT NULL,
    session_key TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    held_by_id TEXT,
    held_by_name TEXT,
    paused_at INTEGER,
    pause_reason TEXT,
    pause_epoch INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_author TEXT,
    last_text TEXT,
    last_at INTEGER,
    fell_back INTEGER NOT NULL DEFAULT 0,
    waiting_since INTEGER,
    online INTEGER NOT NULL DEFAULT 0,
    read_only INTEGER NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX conversations_session ON conversations (bot, session_key);
  CREATE INDEX conversations_recent ON conversations (last_activity_at DESC, id DESC);
  CREATE INDEX conversations_bot_recent ON conversations (bot, last_activity_at DESC, id DESC);
  CREATE INDEX conversations_client_name ON conversations (client_name);
  CREATE INDEX conversations_paused ON conversations (state) WHERE state = 'paused';

  CREATE TABLE messages (
    rowid INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    at INTEGER NOT NULL,
    designer_id TEXT,
    designer_name TEXT,
    notice TEXT,
    match TEXT,
    client_id TEXT,
    UNIQUE (conversation_id, seq)
  );
  CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL;
  CREATE INDEX messages_at ON messages (at);

  CREATE VIRTUAL TABLE messages_fts USING fts5 (
    text, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  END;

  CREATE TABLE designer_commands (
    designer_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    method TEXT NOT NULL,
    result TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (designer_id, client_id)
  ) WITHOUT ROWID;
  CREATE INDEX designer_commands_at ON designer_commands (at);
  `,
  // Visitors' "Report content" from a Landing Page. Anonymous on purpose: no address or session is kept.
  `
  CREATE TABLE content_reports (
    id INTEGER PRIMARY KEY,
    bot TEXT NOT NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX content_reports_bot ON content_reports (bot, id DESC);
  `,
  // Presence counted per Platform instance (storage.ts, changePresence): one instance restarting clears only its own
  // users. conversations.online stays as the sum, kept by the same statements, so the hot queries do not sum.
  `
  CREATE TABLE conversation_presence (
    conversation_id TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    open INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, instance_id)
  ) WITHOUT ROWID;
  CREATE INDEX conversation_presence_instance ON conversation_presence (instance_id);
  UPDATE conversations SET online = 0 WHERE online <> 0;
  CREATE INDEX conversations_bot_client_name ON conversations (bot, client_name);
  `,
  // AIML client state (predicates, <that> history, per-client <learn>), so it survives a restart or a move.
  `
  CREATE TABLE client_state (
    bot TEXT NOT NULL,
    client_key TEXT NOT NULL,
    state TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (bot, client_key)
  ) WITHOUT ROWID;
  `,
];
