/**
 * The shared stores' layout: Redis key names and values, the Lua scripts, the PostgreSQL table
 * and statements, in one place. conformance/stores.md states the same to other languages (the
 * Python package uses these very names, so Node and Python workers can share one store), and a
 * test holds that page to this file. Times are epoch milliseconds; durations are milliseconds.
 */

/** The default prefix of a Redis key: the key of event id X is `isao:webhooks:event:X`. */
export const REDIS_PREFIX = 'isao:webhooks:event:';
/** A claimed event's value is this followed by the claim's token; a completed one's is DONE. */
export const REDIS_CLAIMED = 'claim:';
export const REDIS_DONE = 'done';

/**
 * claim: KEYS[1] the event's key, ARGV[1] the claim's value (`claim:<token>`), ARGV[2] the lease
 * in ms. Sets the key if absent (an expired key is absent), for the lease. Returns
 * `{'first'}`, `{'duplicate'}`, or `{'in-flight', <ms left on the lease>}`.
 */
export const REDIS_CLAIM = `local claimed = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
if claimed then return {'first'} end
if redis.call('GET', KEYS[1]) == '${REDIS_DONE}' then return {'duplicate'} end
return {'in-flight', redis.call('PTTL', KEYS[1])}`;

/**
 * complete: KEYS[1] the event's key, ARGV[1] the claim's value, ARGV[2] how long to keep the
 * completed id, in ms. Only the claim in force: returns 1 when it was, 0 when not.
 */
export const REDIS_COMPLETE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], '${REDIS_DONE}', 'PX', ARGV[2])
return 1`;

/** release: KEYS[1] the event's key, ARGV[1] the claim's value. 1 when it was deleted, else 0. */
export const REDIS_RELEASE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/** The default PostgreSQL table. */
export const PG_TABLE = 'isao_webhook_events';

/**
 * The table, for `createTable()` or a migration. `token` is the claim's owner token, null once
 * completed; `held_until` (epoch ms) ends the lease while claimed, the keep once completed: past
 * it, the row counts as absent.
 */
// Stryker disable Regex: without ^, the greedy .* still matches from the start of the name
export const pgCreateTable = (table: string): string =>
  `CREATE TABLE IF NOT EXISTS ${table} (
  event_id text PRIMARY KEY,
  token text,
  held_until bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table.replace(/^.*\./, '')}_held_until ON ${table} (held_until);`;
// Stryker restore Regex

/**
 * claim, one statement: $1 event id, $2 the new token, $3 now, $4 the lease. Takes the row when
 * it is absent or expired; returns the row as it stands: `token` = $2 (first), null (duplicate)
 * or another token (in flight until `held_until`).
 */
export const pgClaim = (table: string): string =>
  `INSERT INTO ${table} AS e (event_id, token, held_until) VALUES ($1, $2, $3::bigint + $4::bigint)
ON CONFLICT (event_id) DO UPDATE SET
  token = CASE WHEN e.held_until <= $3::bigint THEN EXCLUDED.token ELSE e.token END,
  held_until = CASE WHEN e.held_until <= $3::bigint THEN EXCLUDED.held_until ELSE e.held_until END
RETURNING token, held_until`;

/** complete: $1 event id, $2 token, $3 now, $4 keep. One row updated when the claim was in force. */
export const pgComplete = (table: string): string =>
  `UPDATE ${table} SET token = NULL, held_until = $3::bigint + $4::bigint WHERE event_id = $1 AND token = $2`;

/** release: $1 event id, $2 token. One row deleted when the claim was in force. */
export const pgRelease = (table: string): string =>
  `DELETE FROM ${table} WHERE event_id = $1 AND token = $2`;

/** prune: $1 now. Deletes the rows past their time (claims and completions alike). */
export const pgPrune = (table: string): string => `DELETE FROM ${table} WHERE held_until <= $1`;

/**
 * The transactional mode's lock, taken first in the claim's transaction: $1 the table's name,
 * $2 the event id. `locked` is false when another transaction holds the event (in flight); held
 * until that transaction ends, whatever ends it (commit, rollback, a lost connection). `pid` is
 * the connection's server process, for PG_END.
 */
export const PG_TRY_LOCK = `SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0)) AS locked, pg_backend_pid() AS pid`;

/**
 * A release in the transactional mode, from another connection once the claim's own is closed:
 * $1 the claim's `pid`. Ends that server process, a query of the handler still running included,
 * and waits (up to 5 s) until it is gone: its transaction is rolled back and its lock free.
 */
export const PG_END = `SELECT pg_terminate_backend($1, 5000)`;
