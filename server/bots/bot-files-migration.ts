/**
 * The PostgreSQL tables that make bot files shared by every Platform instance (shared-bot-files.ts): appended to the
 * storage's migrations (postgres-schema.ts), so it is versioned and applied once like the rest of the schema.
 */
export const BOT_FILES_MIGRATION = `
  -- Each bot's source files, as the Pandorabots API stores them (kind and name), as last published on any instance.
  CREATE TABLE bot_files (
    bot TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (bot, kind, name)
  );
  -- Bumped on every publish or delete: an instance whose compiled copy is older fetches the files and recompiles.
  CREATE TABLE bot_versions (
    bot TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE
  );
`;
