/** Shared test setup: the real core runtime over the app, and nock with the network closed. */
import nock from 'nock';
import { createAppTester, errors } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import App from '../src';
import { DEFAULT_API_URL } from '../core/api';

/** The running test's console lines (test/console.ts keeps them instead of printing them). */
export { logged } from './console';

export const appTester = createAppTester(App);
export const API = DEFAULT_API_URL;
export const API_KEY = 'isao_test_key_123';
export const authData = { api_key: API_KEY };

/** nock scope for the default API base URL, with the path prefix handled. */
export const api = () => nock('https://staging.isao.io');
export const apiPath = (path: string) => `/api/external${path}`;

export type TestBundle = Partial<Omit<Bundle, 'meta'>> & { meta?: Partial<Bundle['meta']> };

beforeAll(() => {
  // jest gives each test file a fresh module registry but one process-wide `http`: the previous
  // file's nock was restored in its afterAll, so this one must (re)activate its own interceptor.
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  // tests choose their API: an ISAO_API_URL from the shell must not redirect them
  delete process.env.ISAO_API_URL;
});

/**
 * For real-HTTP tests against the local sandbox: let requests to 127.0.0.1 through, and only
 * those (call it in the test file's beforeAll, after this file's).
 */
export const allowLoopback = () => {
  nock.enableNetConnect((host: string) => /^127\.0\.0\.1(:\d+)?$/.test(host));
};

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  delete process.env.ISAO_API_URL;
  if (pending.length > 0) throw new Error(`Unused HTTP mocks: ${pending.join(', ')}`);
});

afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

/** The user-facing text of an error: core's AppError carries JSON `{message, code, status}`. */
export const errorText = (error: Error): string => {
  // core appends a "What happened:" trace to some errors; the user-facing text is what precedes it
  const message = error.message.split('\nWhat happened:')[0] ?? '';
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : message;
  } catch {
    return message;
  }
};

/** The `{message, code, status}` of an AppError. */
export const appError = (error: Error): { message: string; code?: string; status?: number } =>
  JSON.parse(error.message) as { message: string; code?: string; status?: number };

/** The `{message, code, status}` of an error that must be an AppError (a plain z.errors.Error). */
export const appErrorOf = (error: Error) => {
  expect(error.name).toBe('AppError');
  return appError(error);
};

/** Runs fn and returns what it threw (fails the test if it did not throw). */
export const caught = async (fn: () => Promise<unknown>): Promise<Error & { name: string }> => {
  try {
    await fn();
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected an error, none was thrown');
};

/** A record's keys as Zapier flattens them (nested objects with `__`, arrays kept whole), sorted. */
export const flatKeys = (value: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(value)
    .flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? flatKeys(v as Record<string, unknown>, `${prefix}${k}__`)
        : [`${prefix}${k}`],
    )
    .sort();

/**
 * A z.cache that honours nx, TTL and scope (a key set under a scope is read under the same one)
 * on a controllable clock, counting `set` calls (`calls`) and `get` calls (`reads`).
 */
export const cacheStub = () => {
  const store = new Map<string, { value: unknown; expires: number }>();
  const calls: unknown[][] = [];
  const reads: unknown[][] = [];
  let now = 0;
  const slot = (key: string, scope?: string[]) => `${JSON.stringify(scope ?? null)} ${key}`;
  const live = (key: string, scope?: string[]) => {
    const entry = store.get(slot(key, scope));
    return entry && entry.expires > now ? entry : undefined;
  };
  const cache = {
    get: (key: string, scope?: string[]) => {
      reads.push([key, scope]);
      return Promise.resolve(live(key, scope)?.value ?? null);
    },
    delete: () => Promise.reject(new Error('dedup must not delete from the cache')),
    set: (key: string, value: unknown, ttl?: number, scope?: string[], nx?: boolean) => {
      calls.push([key, ttl, scope, nx]);
      if (nx && live(key, scope)) return Promise.resolve(false);
      store.set(slot(key, scope), { value, expires: ttl ? now + ttl * 1000 : Infinity });
      return Promise.resolve(true);
    },
  };
  return { cache, calls, reads, advance: (ms: number) => (now += ms) };
};

type ZCache = ZObject['cache'];

/** A z member a test did not stub: calling it fails the test, naming it. */
const notStubbed = (name: string) => (): never => {
  throw new Error(`z.${name} is not stubbed in this test`);
};

/** A z.cache whose unstubbed methods fail the test when called. */
const stubCache = (cache: Partial<ZCache> = {}): ZCache => ({
  get: cache.get ?? notStubbed('cache.get'),
  set: cache.set ?? notStubbed('cache.set'),
  delete: cache.delete ?? notStubbed('cache.delete'),
});

/**
 * A z for calling an operation directly: the given cache methods, core's errors and JSON, a
 * console whose warn and log are mocks; every other member fails the test if it is called.
 */
export const stubZ = (cache?: Partial<ZCache>) => {
  const warn = jest.fn();
  const log = jest.fn();
  const z: ZObject = {
    request: notStubbed('request'),
    console: { ...console, warn, log },
    dehydrate: notStubbed('dehydrate'),
    dehydrateFile: notStubbed('dehydrateFile'),
    cursor: { get: notStubbed('cursor.get'), set: notStubbed('cursor.set') },
    generateCallbackUrl: notStubbed('generateCallbackUrl'),
    stashFile: notStubbed('stashFile'),
    JSON: { parse: (text: string): unknown => JSON.parse(text), stringify: JSON.stringify },
    hash: notStubbed('hash'),
    errors,
    cache: stubCache(cache),
  };
  return { z, warn, log };
};

/** The keys in the z.cache of core's test runtime (appTester's `zcacheTestObj`, untyped in core). */
export const runtimeCacheKeys = (): string[] => {
  const store: unknown = Reflect.get(appTester, 'zcacheTestObj');
  return store && typeof store === 'object' ? Object.keys(store) : [];
};

/** What a test sets of a bundle; fullBundle fills in the rest as Zapier would. */
export interface BundleParts {
  authData?: Record<string, string>;
  inputData?: Record<string, unknown>;
  meta?: Partial<Bundle['meta']>;
  rawRequest?: Bundle['rawRequest'];
  cleanedRequest?: unknown;
  /** What performSubscribe returned (core types it as `{id}`; ISAO's has more). */
  subscribeData?: Record<string, unknown>;
  targetUrl?: string;
}

/** A complete bundle, for calling an operation directly (appTester takes partial ones). */
export const fullBundle = ({ meta, subscribeData, ...parts }: BundleParts = {}): Bundle => {
  const bundle: Bundle = {
    authData: {},
    inputData: {},
    inputDataRaw: {},
    meta: {
      isBulkRead: false,
      isFillingDynamicDropdown: false,
      isLoadingSample: false,
      isPopulatingDedupe: false,
      // a required (deprecated) field of core's Bundle type
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      isTestingAuth: false,
      limit: -1,
      page: 0,
      timezone: null,
      inputFields: {},
      ...meta,
    },
    ...parts,
  };
  return subscribeData ? Object.assign(bundle, { subscribeData }) : bundle;
};

/** A secret no message of the app contains 4 characters of. */
export const SECRET = 'sk_9f8e7d6c5b4a';

/** Whether any 4 consecutive characters of the secret are in the text (a leak of part of it). */
export const leaksPartOf = (message: string, secret = SECRET): boolean =>
  Array.from({ length: secret.length - 3 }, (_, i) => secret.slice(i, i + 4)).some((part) =>
    message.includes(part),
  );
