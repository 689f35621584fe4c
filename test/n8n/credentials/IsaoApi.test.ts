/**
 * The ISAO API credential as n8n reads it: its fields, its Bearer header, and its Test as n8n runs
 * it (test/n8n/credential-test.ts), which must never send the key where the nodes would not.
 */
import nock from 'nock';
import type { ICredentialType } from 'n8n-workflow';
import { IsaoApi } from '../../../n8n/credentials/IsaoApi.credentials';
import { Isao } from '../../../n8n/nodes/Isao/Isao.node';
import { IsaoTrigger } from '../../../n8n/nodes/IsaoTrigger/IsaoTrigger.node';
import { CREDENTIAL, CREDENTIAL_TEST } from '../../../n8n/shared/request';
import { API_KEY_HELP, BAD_KEY_MESSAGE, DEFAULT_API_URL, DOCS_URL } from '../../../core/api';
import { API_KEY, at, credentialData, isao } from '../contexts';
import { runCredentialTest } from '../credential-test';
// nock with the network closed, and every mock checked and cleared after each test
import '../../helpers';
import { SIGNATURE_HEADER } from '../../../core/signatures';

// made in each test, so the mutation run sees which test reads which part of it
let credential: IsaoApi;
beforeEach(() => {
  credential = new IsaoApi();
});

describe('ISAO API credential', () => {
  it("is the isaoApi type, documented at ISAO's docs", () => {
    expect([credential.name, credential.displayName]).toEqual(['isaoApi', 'ISAO API']);
    expect(credential.documentationUrl).toBe(DOCS_URL);
  });

  it("asks for the key (hidden), the Base URL (ISAO's by default) and an optional secret (hidden)", () => {
    expect(
      credential.properties.map((p) => [
        p.name,
        p.type,
        p.typeOptions?.password ?? false,
        p.required ?? false,
        p.default,
      ]),
    ).toEqual([
      ['apiKey', 'string', true, true, ''],
      ['baseUrl', 'string', false, false, DEFAULT_API_URL],
      ['signingSecret', 'string', true, false, ''],
    ]);
  });

  it('labels and explains each field, and shows the ISAO icon', () => {
    expect(credential.properties.map((p) => [p.displayName, p.description])).toEqual([
      ['API Key', expect.stringContaining('Find or create your API key')],
      [
        'Base URL',
        'The ISAO API base URL. It must use https; plain http is accepted only for this machine (localhost, 127.0.0.1 or [::1]), where the ISAO sandbox runs.',
      ],
      [
        'Webhook Signing Secret',
        `Optional. The signing secret shown with your webhook settings in the ISAO dashboard. When set (or when ISAO gives the subscription its own secret), the ISAO Trigger checks the ${SIGNATURE_HEADER} signature of every delivery and answers 401, starting no execution, to one that is unsigned or tampered with.`,
      ],
    ]);
    expect(credential.icon).toEqual({
      light: 'file:../icons/isao.svg',
      dark: 'file:../icons/isao.dark.svg',
    });
  });

  it('shows the key help with its link as plain words', () => {
    expect(credential.properties[0]?.description).toBe(
      API_KEY_HELP.replace(
        `[the ISAO API documentation](${DOCS_URL})`,
        `the ISAO API documentation (${DOCS_URL})`,
      ),
    );
  });

  it('sends the key as a Bearer header', () => {
    expect(credential.authenticate).toEqual({
      type: 'generic',
      properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
    });
  });
});

describe("the credential's Test (and every save), as n8n runs it", () => {
  /** Requests that reached a host the key must never reach, with the Authorization they carried. */
  let leaked: (string | undefined)[];
  beforeEach(() => {
    leaked = [];
  });
  /** Answers every request to `origin` (if any comes), noting what it carried. */
  const catcher = (origin: string) =>
    nock(origin)
      .get(/.*/)
      .optionally()
      .reply(function answer() {
        leaked.push(this.req.headers.authorization);
        return [200, { success: true, data: { grabbed: true } }];
      });

  it('calls GET /test on the Base URL with the key and says the connection works', async () => {
    const test = isao()
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .get(at('/test'))
      .reply(200, { success: true, data: { company: { name: 'Acme' } } });

    const result = await runCredentialTest(credentialData());

    expect(test.isDone()).toBe(true);
    expect(result).toEqual({
      status: 'OK',
      message: 'Connection successful: ISAO accepted the API key.',
    });
  });

  it.each([
    ['plain http to another host', 'http://api.isao.test/v1', 'http://api.isao.test'],
    [
      'plain http to a loopback address that is not 127.0.0.1',
      'http://127.0.0.2:8080/api',
      'http://127.0.0.2:8080',
    ],
    [
      'plain http to a host named like localhost',
      'http://localhost.isao.test/v1',
      'http://localhost.isao.test',
    ],
    ['a URL carrying credentials', 'https://user:pw@api.isao.test/v1', 'https://api.isao.test'],
  ])(
    'never sends the key to a Base URL the nodes refuse (%s), saying why',
    async (_name, baseUrl, origin) => {
      catcher(origin);

      const result = await runCredentialTest(credentialData({ baseUrl }));

      expect(leaked).toEqual([]);
      expect(result).toEqual({
        status: 'Error',
        message: expect.stringMatching(
          /^Base URL ".*" must .* Set the Base URL of the ISAO API credential to the ISAO API base URL/,
        ),
      });
    },
  );

  it.each([301, 302, 303, 307, 308])(
    'never follows a redirect (%i) with the key, to another origin or its own',
    async (status) => {
      for (const location of [
        'https://elsewhere.test/grab',
        'https://api.isao.test:8443/v1/test',
        'http://api.isao.test/v1/test',
        '/v1/other',
      ]) {
        isao().get(at('/test')).reply(status, '', { Location: location });
        catcher('https://elsewhere.test');
        catcher('https://api.isao.test:8443');
        catcher('http://api.isao.test');
        isao().get(at('/other')).optionally().reply(200, { success: true });

        const result = await runCredentialTest(credentialData());

        expect(leaked).toEqual([]);
        expect(result).toEqual({
          status: 'Error',
          message: `The ISAO API at api.isao.test answered ${String(status)} (a redirect); the API key is only ever sent to the Base URL, so the redirect was not followed. Check the Base URL of the ISAO API credential.`,
        });
        nock.cleanAll();
      }
    },
  );

  it.each([
    [
      401,
      { message: 'revoked' },
      'ISAO rejected the API key (401 Unauthorized: revoked). The key is invalid or has been revoked: create a new key in your ISAO dashboard and reconnect.',
    ],
    [
      403,
      {},
      'ISAO refused this request (403 Forbidden). The API key lacks the `webhooks:read` permission: give the key that permission in your ISAO dashboard, or connect a key that has it.',
    ],
    [
      200,
      '<html>login</html>',
      'The ISAO API at api.isao.test returned a response that is not JSON (status 200, an HTML page). Check that the API URL is right.',
    ],
  ])('fails on %i in the words the nodes use', async (status, body, message) => {
    isao().get(at('/test')).reply(status, body);

    expect(await runCredentialTest(credentialData())).toEqual({ status: 'Error', message });
  });

  it('names the host when ISAO cannot be reached', async () => {
    isao()
      .get(at('/test'))
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    expect(await runCredentialTest(credentialData())).toEqual({
      status: 'Error',
      message:
        'Could not reach the ISAO API at api.isao.test: the connection was refused (ECONNREFUSED).',
    });
  });

  it('refuses a key that cannot be a header, or no key, before any request', async () => {
    catcher('https://api.isao.test');

    const results = [
      await runCredentialTest(credentialData({ apiKey: 'isao_key\nsecond line' })),
      await runCredentialTest(credentialData({ apiKey: ' ' })),
    ];

    expect(leaked).toEqual([]);
    expect(results).toEqual([
      { status: 'Error', message: BAD_KEY_MESSAGE },
      { status: 'Error', message: 'Enter your ISAO API key in the API Key field.' },
    ]);
  });

  it("is the package's own test, named by both nodes: n8n sends no test request of its own", () => {
    const type: ICredentialType = credential;
    expect(type.test).toBeUndefined();
    for (const node of [new IsaoTrigger(), new Isao()]) {
      expect(node.description.credentials).toEqual([
        { name: CREDENTIAL, required: true, testedBy: CREDENTIAL_TEST },
      ]);
      expect(Object.keys(node.methods.credentialTest)).toEqual([CREDENTIAL_TEST]);
    }
  });
});
