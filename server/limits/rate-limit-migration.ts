/**
 * The PostgreSQL table of the rate limits a cluster shares (shared-rate-limit.ts): appended to the storage's
 * migrations (postgres-schema.ts), versioned and applied once like the rest of the schema.
 */
export const RATE_LIMIT_MIGRATION = `
  -- One token bucket per limit (scope) and key (a chat session, an address), refilled in SQL from the time passed.
  -- No index on updated_ms: every reservation updates it, and an index would rule out HOT updates on the hot path;
  -- the pruning that reads it runs once a minute.
  CREATE TABLE rate_limit_buckets (
    scope TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    tokens DOUBLE PRECISION NOT NULL,
    updated_ms DOUBLE PRECISION NOT NULL,
    -- What the last reservation got (RETURNING sees only the new row).
    granted INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  );
`;
