/**
 * The "ISAO API" credential: the API key (sent as a Bearer header by n8n's generic authenticate,
 * only with the package's requests to the Base URL), the Base URL, and an optional webhook
 * signing secret the ISAO Trigger checks deliveries with. It declares no `test` request: n8n
 * would send one wherever the Base URL points and follow its redirects with the key. Its Test is
 * the nodes' `testedBy` (shared/request.ts), `GET /test` under the package's own request rules.
 */
import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { API_KEY_HELP, DEFAULT_API_URL } from '../../core/api';
import { SIGNATURE_HEADER } from '../../core/signatures';

/** Markdown links as plain words: n8n shows a credential field's description as plain text. */
const plain = (help: string): string => help.replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)');

export class IsaoApi implements ICredentialType {
  name = 'isaoApi';

  displayName = 'ISAO API';

  icon: Icon = { light: 'file:../icons/isao.svg', dark: 'file:../icons/isao.dark.svg' };

  // a literal, as n8n's lint requires; a test holds it equal to the core's DOCS_URL
  documentationUrl = 'https://staging.isao.io/docs';

  properties: INodeProperties[] = [
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      required: true,
      default: '',
      description: plain(API_KEY_HELP),
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: DEFAULT_API_URL,
      description: `The ISAO API base URL. It must use https; plain http is accepted only for this machine (localhost, 127.0.0.1 or [::1]), where the ISAO sandbox runs.`,
    },
    {
      displayName: 'Webhook Signing Secret',
      name: 'signingSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: `Optional. The signing secret shown with your webhook settings in the ISAO dashboard. When set (or when ISAO gives the subscription its own secret), the ISAO Trigger checks the ${SIGNATURE_HEADER} signature of every delivery and answers 401, starting no execution, to one that is unsigned or tampered with.`,
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
  };
}
