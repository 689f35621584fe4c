/** What both entries of the package export alike. */
export { EVENT_NAMES } from '../../core/events';
export { SIGNATURE_HEADER } from '../../core/signatures';
export type { HttpOptions } from './http';
export type { IsaoEventTypes } from './events.generated';
export {
  PROBLEMS,
  WebhookVerificationError,
  type ProblemKind,
  type ProblemStatus,
  type Refused,
} from './problems';
export { DEFAULT_DEADLINE_MS, type WebhooksOptions } from './receiver-options';
export {
  Receiver,
  RetryableError,
  WebhookError,
  type Answer,
  type FailureKind,
  type HandlerContext,
} from './receiver';
export type { HeaderSource, RawBody } from './request';
export { MEMORY_STORE_ENTRIES, MemoryStore, type Claim, type DedupStore } from './store';
export {
  RedisStore,
  type IoRedisClient,
  type NodeRedisClient,
  type RedisClient,
  type RedisStoreOptions,
} from './redis-store';
export {
  PostgresStore,
  PostgresTransactionalStore,
  postgresTableSql,
  type PgPool,
  type PgPoolClient,
  type PgQueryable,
  type PgResult,
  type PostgresStoreOptions,
} from './postgres-store';
export type * from './types';
