/**
 * The one request layer of the n8n package: every call to ISAO, the nodes' and the credential's
 * Test, goes through `callIsao`, which refuses a Base URL or API key that cannot be used (in the
 * core's words) before anything is sent, never follows a redirect (the key must not leave the
 * Base URL), and words every failure as a user can act on (core/errors.ts). The nodes call
 * `isaoRequest`: n8n's `httpRequestWithAuthentication` (the credential's Bearer header), failures
 * raised as n8n's NodeApiError, or NodeOperationError when the request never reached ISAO. The
 * credential's Test is `testCredential`, named by both nodes' `testedBy`.
 */
import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';
import { DEFAULT_API_URL, type IsaoCall } from '../../core/api';
import { callIsao as callCore, type Outcome, type SentRequest } from '../../core/call';
import { REQUEST_TIMEOUT_MS } from '../../core/errors';
import { text } from '../../core/inputs';
import type { CredentialTestContext, RequestContext } from './contexts';
import { apiError, operationError } from './errors';

/** The credential type every node of the package uses. */
export const CREDENTIAL = 'isaoApi';

/** What the Base URL setting is called, and how to put it right, in the core's URL messages. */
export const BASE_URL_SETTING = {
  name: 'Base URL',
  fix: `Set the Base URL of the ISAO API credential to the ISAO API base URL, for example ${DEFAULT_API_URL}.`,
};

/** A core call (`IsaoCall`), and what no message about it may show. */
export interface IsaoRequest extends IsaoCall {
  /** Values no message may show besides the credential's (a subscription's own secret). */
  secrets?: readonly unknown[];
}

/** The credential's fields, read as text (undefined when blank). */
export interface IsaoCredentials {
  apiKey: string | undefined;
  baseUrl: string;
  signingSecret: string | undefined;
}

export const credentialsOf = (data: ICredentialDataDecryptedObject): IsaoCredentials => ({
  apiKey: text(data.apiKey),
  baseUrl: text(data.baseUrl) ?? DEFAULT_API_URL,
  signingSecret: text(data.signingSecret),
});

/** The answer's body as text, however n8n's HTTP client handed it over. */
const contentOf = (body: unknown): string => {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return JSON.stringify(body);
};

/** n8n's full response (`returnFullResponse`), as far as it is read here. */
const isFullResponse = (value: unknown): value is { statusCode: number; body?: unknown } =>
  typeof value === 'object' &&
  value !== null &&
  'statusCode' in value &&
  typeof value.statusCode === 'number';

/** A request through n8n's transport, under the core's rules (core/call.ts). */
const callIsao = (
  credentials: IsaoCredentials,
  request: IsaoRequest,
  send: (sent: SentRequest) => Promise<unknown>,
): Promise<Outcome> =>
  callCore(
    {
      apiKey: credentials.apiKey,
      baseUrl: credentials.baseUrl,
      secrets: [credentials.signingSecret, ...(request.secrets ?? [])],
      setting: BASE_URL_SETTING,
      redirectFix: 'Check the Base URL of the ISAO API credential.',
    },
    request,
    async (sent) => {
      const answer = await send(sent);
      return isFullResponse(answer)
        ? { status: answer.statusCode, content: contentOf(answer.body) }
        : undefined;
    },
  );

/**
 * The one way the nodes call ISAO (callIsao's rules), through n8n's authenticated request, which
 * adds the credential's Bearer header. Returns the status and the parsed JSON body (undefined
 * when empty); every failure is raised as n8n's error.
 */
export const isaoRequest = async (
  context: RequestContext,
  request: IsaoRequest,
): Promise<{ status: number; data: unknown }> => {
  const credentials = credentialsOf(await context.getCredentials(CREDENTIAL));
  const outcome = await callIsao(credentials, request, (sent) =>
    context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL, {
      ...sent,
      encoding: 'text',
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      disableFollowRedirect: true,
      timeout: REQUEST_TIMEOUT_MS,
    }),
  );
  if ('problem' in outcome) throw operationError(context.getNode(), outcome.problem);
  if ('failure' in outcome) throw apiError(context.getNode(), outcome.failure);
  return outcome;
};

/** The name under which both nodes offer the credential's Test (`testedBy`). */
export const CREDENTIAL_TEST = 'isaoApiTest';

/** The connection test: the key's account, as the Zapier connection tests it. */
const CONNECTION_TEST: IsaoRequest = {
  method: 'GET',
  path: '/test',
  authTest: true,
  permission: 'webhooks:read',
};

export const NO_KEY = 'Enter your ISAO API key in the API Key field.';

/**
 * The credential's Test, which n8n also runs on every save: `GET /test` under the nodes' own
 * rules (callIsao), sent by n8n's request helper with the key added here and redirects off. n8n's
 * own test request would go wherever the Base URL says (plain http to any host) and follow
 * redirects with the key, cross-origin too.
 */
export const testCredential = async (
  context: CredentialTestContext,
  { data }: { data?: ICredentialDataDecryptedObject },
): Promise<INodeCredentialTestResult> => {
  const credentials = credentialsOf(data ?? {});
  const { apiKey } = credentials;
  if (apiKey === undefined) return { status: 'Error', message: NO_KEY };
  const outcome = await callIsao(credentials, CONNECTION_TEST, (sent) =>
    context.helpers.request({
      method: sent.method,
      uri: sent.url,
      headers: { ...sent.headers, Authorization: `Bearer ${apiKey}` },
      followRedirect: false,
      followAllRedirects: false,
      simple: false,
      resolveWithFullResponse: true,
      json: false,
      timeout: REQUEST_TIMEOUT_MS,
    }),
  );
  if ('problem' in outcome) return { status: 'Error', message: outcome.problem };
  if ('failure' in outcome) return { status: 'Error', message: outcome.failure.message };
  return { status: 'OK', message: 'Connection successful: ISAO accepted the API key.' };
};

/** Each node's `methods.credentialTest`: the credential's Test under its `testedBy` name. */
export const credentialTest = {
  async [CREDENTIAL_TEST](
    this: CredentialTestContext,
    credential: { data?: ICredentialDataDecryptedObject },
  ): Promise<INodeCredentialTestResult> {
    return testCredential(this, credential);
  },
};
