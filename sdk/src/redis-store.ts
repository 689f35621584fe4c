/**
 * The Redis store: event ids claimed across processes and machines in one Redis (the layout in
 * store-layout.ts and conformance/stores.md). The client is passed in: a node-redis client (v4
 * or later: it has `sendCommand`) or an ioredis one (it has `call`), so the package depends on
 * neither. Leases and keeps are Redis expiries, counted on the Redis server's clock.
 */
import type { Claim, DedupStore } from './store';
import {
  REDIS_CLAIM,
  REDIS_CLAIMED,
  REDIS_COMPLETE,
  REDIS_PREFIX,
  REDIS_RELEASE,
} from './store-layout';

/** A node-redis client (`createClient()`, v4 or later). */
export interface NodeRedisClient {
  sendCommand: (args: string[]) => Promise<unknown>;
}

/** An ioredis client (`new Redis()`). */
export interface IoRedisClient {
  call: (command: string, ...args: (string | number)[]) => Promise<unknown>;
}

export type RedisClient = NodeRedisClient | IoRedisClient;

export interface RedisStoreOptions {
  /** The key of event id X is `${prefix}X` (default `isao:webhooks:event:`). */
  prefix?: string;
}

/** A claim's owner token: a random UUID, unguessable and unique across processes. */
export const newToken = (): string => globalThis.crypto.randomUUID();

const unexpected = (script: string, reply: unknown): Error =>
  new Error(
    `@isao/webhooks: the Redis ${script} script answered ${reply === undefined ? 'nothing' : JSON.stringify(reply)}, not what the store expects.`,
  );

export class RedisStore implements DedupStore {
  private readonly prefix: string;

  constructor(
    private readonly client: RedisClient,
    { prefix = REDIS_PREFIX }: RedisStoreOptions = {},
  ) {
    const usable =
      typeof client === 'object' &&
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers
      client !== null &&
      (('call' in client && typeof client.call === 'function') ||
        ('sendCommand' in client && typeof client.sendCommand === 'function'));
    if (!usable) {
      throw new TypeError(
        '@isao/webhooks: RedisStore needs a connected node-redis client (createClient) or an ioredis one (new Redis).',
      );
    }
    this.prefix = prefix;
  }

  /** Runs a script on one key: ioredis through `call`, node-redis through `sendCommand`. */
  private evaluate(script: string, key: string, args: string[]): Promise<unknown> {
    const command = ['EVAL', script, '1', this.prefix + key, ...args];
    return 'call' in this.client
      ? this.client.call('EVAL', ...command.slice(1))
      : this.client.sendCommand(command);
  }

  async claim(eventId: string, { now, leaseMs }: { now: number; leaseMs: number }): Promise<Claim> {
    const token = newToken();
    const reply = await this.evaluate(REDIS_CLAIM, eventId, [
      REDIS_CLAIMED + token,
      String(Math.max(1, Math.ceil(leaseMs))),
    ]);
    if (Array.isArray(reply)) {
      const items: readonly unknown[] = reply;
      const [state, left] = items;
      if (state === 'first') return { state, token };
      if (state === 'duplicate') return { state };
      if (state === 'in-flight' && typeof left === 'number') {
        return { state, until: now + Math.max(0, left) };
      }
    }
    throw unexpected('claim', reply);
  }

  async complete(
    eventId: string,
    token: string,
    { keepMs }: { now: number; keepMs: number },
  ): Promise<boolean> {
    const reply = await this.evaluate(REDIS_COMPLETE, eventId, [
      REDIS_CLAIMED + token,
      String(Math.max(1, Math.ceil(keepMs))),
    ]);
    return this.answered('complete', reply);
  }

  async release(eventId: string, token: string): Promise<boolean> {
    return this.answered(
      'release',
      await this.evaluate(REDIS_RELEASE, eventId, [REDIS_CLAIMED + token]),
    );
  }

  private answered(script: string, reply: unknown): boolean {
    if (reply === 1 || reply === 0) return reply === 1;
    throw unexpected(script, reply);
  }
}
