/** The request layer (src/lib/api.ts): the headers it sends, the key and the API's URL it accepts. */
import nock from 'nock';
import type { Bundle, HttpRequestOptions, ZObject } from 'zapier-platform-core';
import {
  api,
  apiPath,
  appError,
  appTester,
  authData,
  API_KEY,
  caught,
  errorText,
  stubZ,
} from '../helpers';
import App from '../../src';
import { addApiHeaders, apiHost, apiUrl, isApiUrl, configuredUrlProblem } from '../../src/lib/api';
import { BAD_KEY_MESSAGE } from '../../core/api';
import { callWith, call } from './api.setup';

describe('request layer: headers', () => {
  it('sends the key and JSON headers to the API', async () => {
    api()
      .post(apiPath('/contacts'), { name: 'Ada' })
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .matchHeader('content-type', /application\/json/)
      .matchHeader('accept', 'application/json')
      .reply(201, { success: true, data: { id: 'c1' } });
    const result = await call({ method: 'POST', path: '/contacts', body: { name: 'Ada' } });
    expect(result).toEqual({ status: 201, data: { success: true, data: { id: 'c1' } } });
  });

  it.each([
    'https://example.com/api/external/test',
    'https://staging.isao.io.evil.example/api/external/test',
    'https://staging.isao.io/api/externalx/test',
    'http://staging.isao.io/api/external/test',
  ])('never sends the key to another host or path: %s', async (url) => {
    const { origin, pathname } = new URL(url);
    nock(origin)
      .get(pathname)
      .reply(function () {
        return [200, { authorization: this.req.headers.authorization ?? null }];
      });
    const result = await appTester(
      async (z: ZObject) => (await z.request({ url })).data as unknown,
      { authData },
    );
    expect(result).toEqual({ authorization: null });
  });

  it('sets each header once, whatever spelling the request had; no key, no Authorization', () => {
    const { z } = stubZ();
    const headersFor = (request: HttpRequestOptions & { url: string }, apiKey?: string) =>
      addApiHeaders(request, z, {
        authData: apiKey === undefined ? {} : { api_key: apiKey },
      } as Bundle) as HttpRequestOptions;
    const url = 'https://staging.isao.io/api/external/test';
    expect(headersFor({ url })).toEqual({
      url,
      headers: { Accept: 'application/json' },
      redirect: 'manual',
      timeout: 25_000,
    });
    expect(
      headersFor({ url, headers: { accept: 'text/html', 'X-Trace': '1' } }, ' '),
    ).toMatchObject({
      headers: { 'X-Trace': '1', Accept: 'application/json' },
    });
    const post = headersFor(
      {
        url,
        method: 'POST',
        body: { a: 1 },
        timeout: 1000,
        headers: { 'content-type': 'text/plain', AUTHORIZATION: 'Basic x' },
      },
      ' k3y ',
    );
    expect(post.headers).toEqual({
      Accept: 'application/json',
      Authorization: 'Bearer k3y',
      'Content-Type': 'application/json',
    });
    expect(post.timeout).toBe(1000);
    // anything not bound for the API is left exactly as it was
    const other = { url: 'https://example.com/x', headers: { accept: 'text/html' } };
    expect(headersFor(other, 'k3y')).toBe(other);
  });

  it('reads ISAO_API_URL at request time and tolerates a trailing slash', async () => {
    process.env.ISAO_API_URL = 'http://127.0.0.1:4010/v1/';
    nock('http://127.0.0.1:4010')
      .get('/v1/test')
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(200, { ok: true });
    expect(await call({ path: '/test' })).toEqual({ status: 200, data: { ok: true } });
    expect(isApiUrl('https://staging.isao.io/api/external/test')).toBe(false);
    delete process.env.ISAO_API_URL;
    expect(isApiUrl('https://staging.isao.io/api/external/test')).toBe(true);
  });

  it('trims white space and every trailing slash from ISAO_API_URL; a blank one is unset', async () => {
    process.env.ISAO_API_URL = ' http://127.0.0.1:4010/v1// \n';
    expect(configuredUrlProblem()).toBeUndefined();
    nock('http://127.0.0.1:4010').get('/v1/test').reply(200, { ok: true });
    expect(await call({ path: '/test' })).toEqual({ status: 200, data: { ok: true } });
    process.env.ISAO_API_URL = ' \n';
    expect(configuredUrlProblem()).toBeUndefined();
    api().get(apiPath('/test')).reply(200, { ok: 'default' });
    expect(await call({ path: '/test' })).toEqual({ status: 200, data: { ok: 'default' } });
  });

  it('names the API host, or what ISAO_API_URL holds when it is no URL', () => {
    expect(apiHost()).toBe('staging.isao.io');
    process.env.ISAO_API_URL = 'staging.isao.io/api';
    expect(apiHost()).toBe('staging.isao.io/api');
  });

  it('never takes what is not a URL for an API URL', () => {
    expect(isApiUrl('https://staging.isao.io/api/external/test')).toBe(true);
    expect(isApiUrl('not a url')).toBe(false);
    expect(isApiUrl('https://[bad/api/external/test')).toBe(false);
  });

  it('joins the base URL and a path with one slash, however the path starts', () => {
    const base = 'https://staging.isao.io/api/external';
    expect(apiUrl('/triggers/deal.won/recent')).toBe(`${base}/triggers/deal.won/recent`);
    expect(apiUrl('triggers/deal.won/recent')).toBe(`${base}/triggers/deal.won/recent`);
    expect(apiUrl('//test')).toBe(`${base}/test`);
  });

  it('never puts a secret that is not text into its redaction (an unset optional field)', async () => {
    api().get(apiPath('/test')).reply(500, { message: 'Database unavailable' });
    // as Zapier sends an optional field left unset: null, which core's authData type leaves out
    const auth: Record<string, string> = JSON.parse(
      JSON.stringify({ ...authData, webhook_secret: null }),
    );
    const error = await caught(() => callWith(auth, { path: '/test' }));
    expect(error.name).toBe('AppError');
    expect(errorText(error)).toContain('Database unavailable');
  });
});

describe("request layer: Zapier's template syntax in what the user sets", () => {
  it('reaches ISAO as written in a filter value on subscribe', async () => {
    const tags = ['{{bundle.inputData.tags}}', `{{process.env.HOME}}${'x'.repeat(50_000)}`];
    api()
      .post(apiPath('/webhooks/subscribe'), (sent) => {
        expect(sent).toEqual({
          event: 'contact.created',
          target_url: 'https://hooks.zapier.com/1',
          filters: { tags },
        });
        return true;
      })
      .reply(201, { success: true, data: { id: 'h1', subscription_id: 's1' } });
    const subscription = await appTester(App.triggers.new_contact.operation.performSubscribe, {
      authData,
      inputData: { tags },
      targetUrl: 'https://hooks.zapier.com/1',
    });
    expect(subscription).toMatchObject({ subscription_id: 's1' });
  });

  it("leaves the query of a URL as it is, and still sends core's User-Agent", async () => {
    api()
      .get(apiPath('/recent'))
      .query({ q: '{{bundle.authData.api_key}}' })
      .matchHeader('user-agent', 'Zapier')
      .reply(200, { ok: true });
    const result = await call({ path: '/recent', params: { q: '{{bundle.authData.api_key}}' } });
    expect(result).toEqual({ status: 200, data: { ok: true } });
  });
});

describe('request layer: a key that cannot be a header value', () => {
  it.each([
    ['a pasted line break', 'isao_key\nsecond_line'],
    ['a NUL', 'isao\u0000key'],
    ['a zero-width space', 'isao\u200bkey'],
  ])('is refused before any request (%s), without echoing the key', async (_what, key) => {
    const unmatched = jest.fn();
    nock.emitter.on('no match', unmatched);
    try {
      const error = await caught(() =>
        callWith({ api_key: key }, { path: '/triggers/deal.won/recent' }),
      );
      expect(error.name).toBe('ExpiredAuthError');
      expect(errorText(error)).toBe(BAD_KEY_MESSAGE);
      expect(error.message).not.toContain('isao');
      const test = await caught(() =>
        callWith({ api_key: key }, { path: '/test', authTest: true }),
      );
      expect(appError(test)).toMatchObject({ code: 'invalid_api_key', message: BAD_KEY_MESSAGE });
      expect(unmatched).not.toHaveBeenCalled();
    } finally {
      nock.emitter.removeListener('no match', unmatched);
    }
  });

  it('still trims surrounding white space (a trailing newline is not an error)', async () => {
    api()
      .get(apiPath('/test'))
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(200, { ok: true });
    const result = await callWith({ api_key: ` ${API_KEY}\r\n` }, { path: '/test' });
    expect(result).toEqual({ status: 200, data: { ok: true } });
  });
});

describe('request layer: ISAO_API_URL is validated', () => {
  it.each([
    ['not a URL', 'staging.isao.io/api', 'ISAO_API_URL is not a URL.'],
    ['plain http on the internet', 'http://api.isao.example/v1', 'must use https'],
    ['another scheme', 'ftp://127.0.0.1/v1', 'must use https'],
    ['credentials', 'https://user:pw@api.isao.example/v1', 'without credentials'],
    ['a user name alone', 'https://user@api.isao.example/v1', 'without credentials'],
  ])('refuses %s, naming the variable, before any request', async (_what, value, says) => {
    process.env.ISAO_API_URL = value;
    const error = await caught(() => call({ path: '/test' }));
    expect(appError(error)).toMatchObject({ code: 'invalid_api_url' });
    expect(errorText(error)).toMatch(/^ISAO_API_URL /);
    expect(errorText(error)).toContain(says);
    expect(errorText(error)).toContain('zapier-platform env:set');
    expect(isApiUrl(`${value}/test`)).toBe(false);
  });

  it.each(['https://api.isao.example/v1', 'http://localhost:4010', 'http://127.0.0.1:4010/v1'])(
    'accepts %s',
    (value) => {
      process.env.ISAO_API_URL = value;
      expect(configuredUrlProblem()).toBeUndefined();
    },
  );
});
