/**
 * A credential whose Base URL holds the API key, or another token, in any form
 * (test/core/secret-urls.ts): through the node classes with the mock contexts, publishing the
 * ISAO Trigger and running the ISAO node fail with an error that names the problem and shows no
 * part of the secret, in its message, its stack or what n8n stores of it.
 */
import { IsaoTrigger } from '../../../n8n/nodes/IsaoTrigger/IsaoTrigger.node';
import { Isao } from '../../../n8n/nodes/Isao/Isao.node';
import { caught } from '../../helpers';
import { refusedSecretUrls, showsASecret, URL_KEY, usableKeyUrls } from '../../core/secret-urls';
import { credentialData, executeContext, hookContext, isao } from '../contexts';

const HOST = 'api.isao.test';
const PATH = '/v1';

const credentialsFor = (baseUrl: string) => credentialData({ apiKey: URL_KEY, baseUrl });

/** Each operation, and ISAO's 404 to the request it sends. */
const operations = [
  [
    'publishing the ISAO Trigger',
    () => isao().get(/.*/).reply(404, {}),
    (baseUrl: string) =>
      new IsaoTrigger().webhookMethods.default.checkExists.call(
        hookContext({ credentials: credentialsFor(baseUrl) }).context,
      ),
  ],
  [
    'running the ISAO node',
    () => isao().post(/.*/).reply(404, {}),
    (baseUrl: string) =>
      new Isao().execute.call(
        executeContext([{ name: 'Ada', phoneNumber: '+33123456789' }], {
          credentials: credentialsFor(baseUrl),
        }).context,
      ),
  ],
] as const;

/** All n8n shows or keeps of an error: its message, its stack and its serialised fields. */
const everything = (error: Error): string =>
  [error.message, error.stack ?? '', JSON.stringify(error)].join('\n');

describe.each(operations)('a Base URL holding a secret: %s', (_operation, notFound, run) => {
  it.each(refusedSecretUrls(HOST, PATH))(
    'is refused before any request, showing none of it: %s',
    async (_what, url, says) => {
      const error = await caught(() => run(url));
      expect(error.message).toMatch(/^Base URL /);
      expect(error.message).toContain(says);
      expect(showsASecret(everything(error))).toBe(false);
    },
  );

  it.each(usableKeyUrls(HOST, PATH))(
    'is used, and the answer names the path without the key: %s',
    async (_what, url, says) => {
      notFound();
      const error = await caught(() => run(url));
      expect(error.message).toContain(says);
      expect(error.message).toContain('[redacted]');
      expect(showsASecret(everything(error))).toBe(false);
    },
  );
});
