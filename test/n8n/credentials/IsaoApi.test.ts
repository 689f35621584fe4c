/** The ISAO API credential as n8n reads it: its fields, its Bearer header and its test request. */
import { IsaoApi } from '../../../n8n/credentials/IsaoApi.credentials';
import { API_KEY_HELP, DEFAULT_API_URL, DOCS_URL } from '../../../core/api';
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

  it('sends the key as a Bearer header, and is tested with GET /test on the Base URL', () => {
    expect(credential.authenticate).toEqual({
      type: 'generic',
      properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
    });
    expect(credential.test).toEqual({
      request: { baseURL: '={{$credentials.baseUrl}}', url: '/test', method: 'GET' },
    });
  });
});
