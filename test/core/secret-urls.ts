/**
 * Base URLs holding a secret, in every form the app may meet one: the API key (or another token
 * the user pasted) in the query, the fragment, the user name or password, or the path, as typed,
 * percent-encoded and in any letter case. Shared by the core's tests (test/core/api.test.ts) and
 * the platforms' (test/lib/secret-urls.test.ts, test/n8n/shared/secret-urls.test.ts): no message
 * about any of them may show 4 characters of the secret.
 */
import { leaksPartOf, SECRET } from '../helpers';

/** The configured key in these tests (4 characters of it never occur in a message otherwise). */
export const URL_KEY = SECRET;
/** A token that is not the configured key: the app cannot know it is one. */
export const OTHER_TOKEN = 'tok_1q2w3e4r5t';

/** The secret percent-encoded as a URL may carry it (`_` as `%5F`, a letter as `%6B`). */
const encoded = (secret: string): string =>
  secret.replace(/_/g, '%5F').replace(/k/, '%6B').replace(/f/, '%66');

/** A form: what it is, the URL for a base `https://<host><path>`, and what the message says. */
export type SecretUrl = [what: string, url: string, says: string];

/**
 * The Base URLs refused before any request, holding `key` (the configured one) or a token the
 * app cannot know, with the words their message has.
 */
export const refusedSecretUrls = (host: string, path: string): SecretUrl[] => {
  const base = `https://${host}${path}`;
  const plain = 'must be a plain base URL';
  return [
    ['the key in the query', `${base}?api_key=${URL_KEY}`, plain],
    ['the key in the query, the name in capitals', `${base}?API_KEY=${URL_KEY}`, plain],
    ['the key in the query, encoded', `${base}?api_key=${encoded(URL_KEY)}`, plain],
    ['the key as the second parameter', `${base}?v=1&token=${URL_KEY}`, plain],
    ['the key as a bare parameter', `${base}?${URL_KEY}`, plain],
    ['another token in the query', `${base}?token=${OTHER_TOKEN}`, plain],
    ['the key as the fragment', `${base}#${URL_KEY}`, plain],
    ['another token in the fragment', `${base}#access_token=${OTHER_TOKEN}`, plain],
    ['the key as the password', `https://user:${URL_KEY}@${host}${path}`, plain],
    ['the key as the user name', `https://${URL_KEY}@${host}${path}`, plain],
    ['the key as the password, encoded', `https://u:${encoded(URL_KEY)}@${host}${path}`, plain],
    ['another token as the password', `https://user:${OTHER_TOKEN}@${host}${path}`, plain],
    ['another token as the user name', `https://${OTHER_TOKEN}@${host}${path}`, plain],
    [
      'the key everywhere',
      `https://u:${URL_KEY}@${host}/${URL_KEY}?k=${URL_KEY}#${URL_KEY}`,
      plain,
    ],
    ['another token in the path and the query', `${base}/${OTHER_TOKEN}?a=${OTHER_TOKEN}`, plain],
    ['the key in the path, over http', `http://${host}${path}/${URL_KEY}`, 'must use https'],
    [
      'the key in the path, encoded, over http',
      `http://${host}/${encoded(URL_KEY)}`,
      'must use https',
    ],
    ['another token in the path, over http', `http://${host}/${OTHER_TOKEN}/v1`, 'must use https'],
    ['the key in the path, without a scheme', `${host}/${URL_KEY}${path}`, 'is not a URL'],
    ['another token in the path, without a scheme', `${host}/${OTHER_TOKEN}`, 'is not a URL'],
    ['the key alone', URL_KEY, 'is not a URL'],
    ['another token alone', OTHER_TOKEN, 'is not a URL'],
    ['the key after a mistyped scheme', `https//${host}/${URL_KEY}`, 'is not a URL'],
  ];
};

/**
 * Base URLs that are usable and hold the configured key in the path: the request is sent (ISAO
 * answers 404 here), and the message names the path with the key redacted.
 */
export const usableKeyUrls = (host: string, path: string): SecretUrl[] => [
  ['the key in the path', `https://${host}${path}/${URL_KEY}`, '404 Not Found'],
  ['the key in the path, encoded', `https://${host}/${encoded(URL_KEY)}${path}`, '404 Not Found'],
  ['the key in the path, in capitals', `https://${host}/${URL_KEY.toUpperCase()}`, '404 Not Found'],
];

/** Whether 4 consecutive characters of either secret are in the text, in any letter case. */
export const showsASecret = (message: string): boolean =>
  [URL_KEY, OTHER_TOKEN].some((secret) => leaksPartOf(message.toLowerCase(), secret));
