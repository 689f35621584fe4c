/** The request layer (src/lib/api.ts): error messages name the fields and show nothing secret. */
import type { Bundle, ZObject } from 'zapier-platform-core';
import {
  api,
  apiPath,
  appErrorOf,
  appTester,
  authData,
  API_KEY,
  caught,
  errorText,
  fullBundle,
  leaksPartOf,
  SECRET,
} from '../helpers';
import { callApi } from '../../src/lib/api';
import { MAX_DETAIL, MAX_EXAMINED } from '../../core/errors';
import { callWith, call } from './api.setup';

describe('request layer: field errors name the fields', () => {
  it.each([
    [
      'a map from field to messages (repeats named once)',
      { errors: { email: ['is invalid', 'is taken'], name: 'is too long' } },
      'email: is invalid; email: is taken; name: is too long',
      'the fields ISAO named (email, name)',
    ],
    [
      'a list with `loc` paths and `msg`',
      { detail: [{ loc: ['body', 'phoneNumber'], msg: 'field required' }] },
      'phoneNumber: field required',
      'the field ISAO named (phoneNumber)',
    ],
    [
      '`details` with a `path` list whose message names the field',
      {
        message: 'Bad input',
        details: [{ path: ['contact', 'email'], message: '"email" must be an email' }],
      },
      'Bad input ("email" must be an email)',
      'the field ISAO named (email)',
    ],
    [
      'an `error` holding `errors` with `param`',
      { error: { message: 'Invalid contact', errors: [{ param: 'position', msg: 'too long' }] } },
      'Invalid contact (position: too long)',
      'the field ISAO named (position)',
    ],
    [
      'an `error` holding `details` with `property`',
      { error: { details: [{ property: 'currentCompany', message: 'unknown' }] } },
      'currentCompany: unknown',
      'the field ISAO named (currentCompany)',
    ],
  ])('a 400 with %s is an error naming them', async (_what, body, said, fields) => {
    api().post(apiPath('/contacts')).reply(400, body);
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toEqual({
      message: `ISAO refused the values this step sent (400 Bad Request): ${said}. Fix ${fields} and run the step again.`,
      code: 'invalid_input',
      status: 400,
    });
  });

  // only `errors` may be a map from field to message(s): a `details` map is context
  it.each([
    [{ error: { message: 'Bad request', details: { request_id: 'r1' } } }],
    [{ message: 'Bad request', details: { trace: ['t1'] } }],
  ])('a 400 whose `details` is a map (%j) names no field', async (body) => {
    api().post(apiPath('/contacts')).reply(400, body);
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toEqual({
      message:
        'ISAO could not process the request (400 Bad Request): Bad request. Check the values this step sends.',
      code: 'bad_request',
      status: 400,
    });
  });

  it.each([
    [
      400,
      'ISAO could not process the request (400 Bad Request): the server answered with an HTML page instead of JSON. Check the values this step sends.',
      'bad_request',
    ],
    [
      422,
      'ISAO refused the values this step sent (422 Unprocessable Entity): the server answered with an HTML page instead of JSON. Check the values this step sends.',
      'invalid_input',
    ],
  ])('a %i HTML page names no field', async (status, message, code) => {
    api().post(apiPath('/contacts')).reply(status, '<!doctype html><p>errors</p>');
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toEqual({ message, code, status });
  });

  it('names at most about 100 characters of fields, and no secret among them', async () => {
    const errors = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`field_${String(i)}`, 'is wrong']),
    );
    api()
      .post(apiPath('/contacts'))
      .reply(422, { errors: { [API_KEY]: 'is not a field', ...errors } });
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    const fields = /Fix the fields ISAO named \((.*)\) and run the step again\.$/.exec(
      errorText(error),
    )?.[1];
    expect(fields).toMatch(/^\[redacted\], field_0, field_1, .*…$/);
    expect(fields).toHaveLength(100);
    expect(error.message).not.toContain(API_KEY);
  });
});

describe('request layer: nothing secret in a message', () => {
  it.each([
    [
      'the key as stored, with white space and invisible characters',
      { api_key: `\u200b ${SECRET}\r\n` },
    ],
    ['the webhook signing secret', { api_key: API_KEY, webhook_secret: ` ${SECRET} ` }],
  ])('redacts %s, in the form it is sent', async (_what, auth) => {
    api()
      .get(apiPath('/test'))
      .reply(500, { message: `bad credentials ${SECRET} (${SECRET})` });
    const error = await caught(() => callWith(auth, { path: '/test' }));
    expect(errorText(error)).toContain('(500): bad credentials [redacted] ([redacted]).');
    expect(leaksPartOf(error.message)).toBe(false);
  });

  it.each([
    [{ id: 'sub_1', secret: SECRET }],
    [{ id: 'sub_1', signing_secret: SECRET }],
    // both given: signatures use `secret`, and `signing_secret` is no less secret
    [{ id: 'sub_1', secret: 'isao-other-secret', signing_secret: SECRET }],
  ])("redacts this Zap's subscription secret (%j)", async (subscribeData) => {
    api()
      .delete(apiPath('/webhooks/unsubscribe'))
      .reply(500, { message: `cannot drop hook with secret ${SECRET}` });
    const error = await caught(() =>
      appTester(
        (z: ZObject, bundle: Bundle) =>
          callApi(z, bundle, {
            method: 'DELETE',
            path: '/webhooks/unsubscribe',
            body: {},
            permission: 'webhooks:write',
          }),
        fullBundle({ authData, subscribeData }),
      ),
    );
    expect(errorText(error)).toContain('(500): cannot drop hook with secret [redacted].');
  });

  it.each([
    ['a JSON message', true, (at: number) => 'x'.repeat(at), MAX_DETAIL],
    ['a text body', false, (at: number) => 'x'.repeat(at), MAX_DETAIL],
    // white space collapses, so what lies beyond the part examined could reach the message
    ['text after white space', false, (at: number) => `a${' '.repeat(at - 1)}`, MAX_EXAMINED],
  ])(
    'never shows part of a key straddling a limit (%s), nor passes MAX_DETAIL',
    async (_what, json, padding, limit) => {
      const said = (message: string) =>
        /\(500\): (.*)\. This is usually temporary/.exec(message)?.[1] ?? '';
      for (let at = limit - SECRET.length - 2; at <= limit + 2; at += 1) {
        const text = `${padding(at)}${SECRET}${'y'.repeat(500)}`;
        api()
          .get(apiPath('/test'))
          .reply(500, json ? { message: text } : text);
        const error = await caught(() => callWith({ api_key: SECRET }, { path: '/test' }));
        expect(leaksPartOf(error.message)).toBe(false);
        expect(said(errorText(error)).length).toBeLessThanOrEqual(MAX_DETAIL);
        expect(said(errorText(error)).length).toBeGreaterThan(0);
      }
    },
  );

  it('a short secret replaced near the limit never pushes the message past it', async () => {
    for (let at = MAX_DETAIL - 12; at <= MAX_DETAIL; at += 1) {
      api()
        .get(apiPath('/test'))
        .reply(500, { message: `${'x'.repeat(at)}k3y!` });
      const error = await caught(() => callWith({ api_key: 'k3y!' }, { path: '/test' }));
      const said = /\(500\): (.*)\. This is usually temporary/.exec(errorText(error))?.[1];
      expect(said?.length).toBeLessThanOrEqual(MAX_DETAIL);
      expect(said).not.toContain('k3y');
    }
  });

  it('reads no more than MAX_EXAMINED characters of a hostile body of a megabyte', async () => {
    // markup stripping was quadratic: 160 KB of "<" took over 5 s, a megabyte hours. What bounds
    // the work is the cut before it, seen here by a tag (or words) closing just past MAX_EXAMINED,
    // which only a pass over more than the cut would strip (or show); the time is not asserted
    for (const unit of ['<', '<script', ' ', '<a ']) {
      const past = `x${unit.repeat(Math.ceil(MAX_EXAMINED / unit.length))}>past the cut`;
      api().get(apiPath('/test')).reply(500, past, { 'Content-Type': 'text/plain' });
      const cut = await caught(() => call({ path: '/test' }));
      expect(appErrorOf(cut)).toMatchObject({ code: 'api_error', status: 500 });
      expect(cut.message).not.toContain('past the cut');
      for (const size of [100_000, 1_000_000]) {
        api()
          .get(apiPath('/test'))
          .reply(500, `${unit.repeat(size / unit.length)}x`, { 'Content-Type': 'text/plain' });
        const error = await caught(() => call({ path: '/test' }));
        expect(appErrorOf(error)).toMatchObject({ code: 'api_error', status: 500 });
        expect(error.message.length).toBeLessThan(1000);
      }
    }
  });
});
