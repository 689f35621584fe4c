/**
 * The Redis store on a real redis-server, through node-redis and ioredis: the contract, leases
 * that run out on the server's clock, the layout other languages share, tokens.
 */
import { RedisStore, type RedisClient } from '../../../sdk/src/redis-store';
import { REDIS_PREFIX } from '../../../sdk/src/store-layout';
import { checkContract, eventually, tokenOf, useServers } from './fixture';

const { servers, connect } = useServers();

describe.each([
  ['node-redis', connect.nodeRedis],
  ['ioredis', connect.ioredis],
] satisfies [string, () => Promise<RedisClient>][])('RedisStore on %s', (name, client) => {
  it('keeps the contract: first, in flight, duplicate, released, owner tokens', async () => {
    await checkContract(new RedisStore(await client()), 1_000_000, `contract-${name}`);
  });

  it('writes the shared layout: claim:<token> for the lease, then done for the keep', async () => {
    const store = new RedisStore(await client());
    const raw = await connect.ioredis();
    const key = `${REDIS_PREFIX}layout-${name}`;
    const token = tokenOf(await store.claim(`layout-${name}`, { now: 0, leaseMs: 30_000 }));
    expect(await raw.get(key)).toBe(`claim:${token}`);
    expect(await raw.pttl(key)).toBeGreaterThan(20_000);
    expect(await raw.pttl(key)).toBeLessThanOrEqual(30_000);
    expect(await store.complete(`layout-${name}`, token, { now: 0, keepMs: 90_000 })).toBe(true);
    expect(await raw.get(key)).toBe('done');
    expect(await raw.pttl(key)).toBeGreaterThan(80_000);
    // a worker of another language, writing the same layout, is understood
    await raw.set(`${REDIS_PREFIX}foreign-${name}`, 'claim:someone-else', 'PX', 30_000);
    expect((await store.claim(`foreign-${name}`, { now: 0, leaseMs: 1000 })).state).toBe(
      'in-flight',
    );
    expect(await store.release(`foreign-${name}`, 'someone-else')).toBe(true);
    expect(await raw.exists(`${REDIS_PREFIX}foreign-${name}`)).toBe(0);
  });

  it('gives a claim whose lease ran out to the next one; the late worker cannot touch it', async () => {
    const store = new RedisStore(await client(), { prefix: `lease-${name}:` });
    const late = tokenOf(await store.claim('evt', { now: 0, leaseMs: 100 }));
    let retry = '';
    await eventually(async () => {
      const claim = await store.claim('evt', { now: 0, leaseMs: 60_000 });
      if (claim.state === 'first') retry = claim.token;
      return claim.state === 'first';
    }, 'the lease ran out');
    expect(retry).not.toBe(late);
    expect(await store.complete('evt', late, { now: 0, keepMs: 60_000 })).toBe(false);
    expect(await store.release('evt', late)).toBe(false);
    expect((await store.claim('evt', { now: 0, leaseMs: 1000 })).state).toBe('in-flight');
    expect(await store.complete('evt', retry, { now: 0, keepMs: 60_000 })).toBe(true);
  });

  it('forgets a completed id once its keep ran out', async () => {
    const store = new RedisStore(await client(), { prefix: `keep-${name}:` });
    const token = tokenOf(await store.claim('evt', { now: 0, leaseMs: 60_000 }));
    await store.complete('evt', token, { now: 0, keepMs: 100 });
    expect((await store.claim('evt', { now: 0, leaseMs: 60_000 })).state).toBe('duplicate');
    await eventually(
      async () => (await store.claim('evt', { now: 0, leaseMs: 60_000 })).state === 'first',
      'the keep ran out',
    );
  });

  it('gives every claim a new random token (UUID)', async () => {
    const store = new RedisStore(await client(), { prefix: `tokens-${name}:` });
    const tokens = await Promise.all(
      Array.from({ length: 50 }, async (_, i) =>
        tokenOf(await store.claim(`evt-${String(i)}`, { now: 0, leaseMs: 60_000 })),
      ),
    );
    expect(new Set(tokens).size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
  });
});

describe('RedisStore', () => {
  it('refuses what is not a Redis client, naming both kinds', () => {
    for (const bad of [undefined, null, {}, { call: 1 }, { sendCommand: 1 }, 'redis://']) {
      // @ts-expect-error -- JavaScript callers pass anything
      expect(() => new RedisStore(bad)).toThrow(
        'RedisStore needs a connected node-redis client (createClient) or an ioredis one (new Redis).',
      );
    }
  });

  it('says so when a script answers what it does not expect', async () => {
    const weird = new RedisStore({ call: () => Promise.resolve(['maybe']) });
    await expect(weird.claim('x', { now: 0, leaseMs: 1 })).rejects.toThrow(
      'the Redis claim script answered ["maybe"], not what the store expects.',
    );
    const odd = new RedisStore({ sendCommand: () => Promise.resolve('OK') });
    await expect(odd.release('x', 't')).rejects.toThrow('the Redis release script answered "OK"');
  });

  it('fails when the server is gone (the receiver answers 503 for it)', async () => {
    const store = new RedisStore(await connect.ioredis());
    await servers().redis.kill();
    try {
      await expect(store.claim('down', { now: 0, leaseMs: 1000 })).rejects.toThrow();
    } finally {
      await servers().redis.restart();
    }
  });
});
