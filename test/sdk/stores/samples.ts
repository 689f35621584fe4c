/**
 * The code samples of docs/stores.md, which need the stores' servers: run by
 * test/sdk/stores/docs.test.ts, which starts them (test/sdk/docs.test.ts runs the other pages').
 */
export const SERVER_SAMPLES: readonly string[] = ['redis-receiver.mjs', 'postgres-receiver.mjs'];
