/**
 * The PostgreSQL tables of the limits and counters a cluster shares (shared-rate-limit.ts, and atalk's anonymous
 * client numbers): appended to the storage's
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
  -- atalk's anonymous client names are numbered per app for the cluster (server/cluster/shared-anonymous-clients.ts):
  -- the next number to hand out; a name is known exactly when its number is below it.
  CREATE TABLE api_anonymous_clients (
    app_id TEXT COLLATE "C" PRIMARY KEY,
    next BIGINT NOT NULL
  );
`;
