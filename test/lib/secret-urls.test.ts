/**
 * An ISAO_API_URL holding the API key, or another token, in any form (test/core/secret-urls.ts):
 * through createAppTester, the connection test and the editor's test records fail with a message
 * that names the problem and shows no part of the secret.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import nock from 'nock';
import authentication from '../../src/authentication';
import { triggers } from '../../src/triggers';
import { appErrorOf, appTester, caught, errorText, fullBundle } from '../helpers';
import {
  refusedSecretUrls,
  showsASecret,
  URL_KEY,
  usableKeyUrls,
  type SecretUrl,
} from '../core/secret-urls';

const authData = { api_key: URL_KEY };
const HOST = 'staging.isao.io';
const PATH = '/api/external';

const operations = [
  ['the connection test', () => appTester(authentication.test, { authData })],
  [
    "the editor's test records",
    () =>
      appTester(
        (z: ZObject, b: Bundle) => triggers.new_contact.operation.performList(z, b),
        fullBundle({ authData }),
      ),
  ],
] as const;

describe.each(operations)('ISAO_API_URL holding a secret: %s', (_operation, run) => {
  it.each(refusedSecretUrls(HOST, PATH))(
    'is refused before any request, showing none of it: %s',
    async (_what, url, says) => {
      process.env.ISAO_API_URL = url;
      const error = await caught(run);
      expect(appErrorOf(error)).toMatchObject({ code: 'invalid_api_url' });
      expect(errorText(error)).toMatch(/^ISAO_API_URL /);
      expect(errorText(error)).toContain(says);
      expect(showsASecret(errorText(error))).toBe(false);
    },
  );

  it.each(usableKeyUrls(HOST, PATH))(
    'is used, and the answer names the path without the key: %s',
    async (_what, url, says) => {
      process.env.ISAO_API_URL = url;
      nock(`https://${HOST}`).get(/.*/).reply(404, {});
      const error = await caught(run);
      expect(errorText(error)).toContain(says);
      expect(errorText(error)).toContain('[redacted]');
      expect(showsASecret(errorText(error))).toBe(false);
    },
  );
});

/** What each form's message shows: the scheme and host, and only the shape of the rest. */
const SHOWN: [SecretUrl[1], string][] = [
  [`https://${HOST}${PATH}?api_key=${URL_KEY}`, `"https://${HOST}/…?[redacted]"`],
  [`https://u:p@${HOST}${PATH}#${URL_KEY}`, `"https://[redacted]@${HOST}/…#[redacted]"`],
  [`http://${HOST}${PATH}/${URL_KEY}`, `"http://${HOST}/…" must use https`],
  [`${HOST}/${URL_KEY}`, 'ISAO_API_URL is not a URL.'],
];

it.each(SHOWN)('ISAO_API_URL %s is shown as %s', async (url, shown) => {
  process.env.ISAO_API_URL = url;
  const error = await caught(() => appTester(authentication.test, { authData }));
  expect(errorText(error)).toContain(shown);
});
