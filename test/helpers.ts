/** Shared test setup: the real core runtime over the app, and nock with the network closed. */
import nock from 'nock';
import { createAppTester } from 'zapier-platform-core';
import type { Bundle } from 'zapier-platform-core';
import App from '../src';
import { DEFAULT_API_URL } from '../src/lib/api';

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
