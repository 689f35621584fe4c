/**
 * The one request layer of the n8n package: every call to ISAO goes through `isaoRequest`, which
 * refuses a Base URL or API key that cannot be used (in the core's words), sends the request
 * through n8n's `httpRequestWithAuthentication` (the credential's Bearer header), never follows
 * a redirect (the key must not leave the Base URL), and turns every failure into the error a user
 * can act on: the core's wording (core/errors.ts) raised as n8n's NodeApiError, or a
 * NodeOperationError when the request never reached ISAO.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { apiUrlProblem, DEFAULT_API_URL, keyProblem, type IsaoCall } from '../../core/api';
import {
  failureFor,
  MAX_DETAIL,
  networkFailure,
  parseBody,
  REQUEST_TIMEOUT_MS,
} from '../../core/errors';
import { isRecord, reasonOf, shown, text } from '../../core/inputs';
import type { RequestContext } from './contexts';
import { apiError, operationError } from './errors';

/** The credential type every node of the package uses. */
export const CREDENTIAL = 'isaoApi';

/** What the Base URL setting is called, and how to put it right, in the core's URL messages. */
export const BASE_URL_SETTING = {
  name: 'Base URL',
  fix: `Set the Base URL of the ISAO API credential to the ISAO API base URL, for example ${DEFAULT_API_URL}.`,
};

/** One call to ISAO: what to send, and its policy (core/errors.ts) for reading the answer. */
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

/**
 * The one way the package calls ISAO. Returns the status and the parsed JSON body (undefined when
 * empty). A redirect is never followed: its Location could be another host, where n8n would carry
 * the Bearer header; it is refused naming the Base URL to check.
 */
export const isaoRequest = async (
  context: RequestContext,
  request: IsaoRequest,
): Promise<{ status: number; data: unknown }> => {
  const credentials = credentialsOf(await context.getCredentials(CREDENTIAL));
  const urlProblem = apiUrlProblem(credentials.baseUrl, BASE_URL_SETTING);
  if (urlProblem) throw operationError(context.getNode(), urlProblem);
  const badKey = credentials.apiKey && keyProblem(credentials.apiKey);
  if (badKey) throw operationError(context.getNode(), badKey);
  const base = credentials.baseUrl.replace(/\/+$/, '');
  // apiUrlProblem has checked it is a URL
  const host = new URL(base).host;
  // Stryker disable next-line ArrayDeclaration: one more text to redact, which no message holds
  const secrets = [credentials.apiKey, credentials.signingSecret, ...(request.secrets ?? [])];
  let answer: unknown;
  try {
    answer = await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL, {
      method: request.method,
      url: `${base}${request.path}`,
      headers: {
        Accept: 'application/json',
        ...(request.body ? { 'Content-Type': 'application/json' } : {}),
      },
      // serialised here: n8n's client would take the object, but its type admits JSON data only
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      encoding: 'text',
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      disableFollowRedirect: true,
      timeout: REQUEST_TIMEOUT_MS,
    });
  } catch (error) {
    // fetch and n8n's own wrapping keep the system error (ECONNREFUSED…) as the cause
    const network =
      networkFailure(error, host) ??
      networkFailure(isRecord(error) ? error.cause : undefined, host);
    throw operationError(
      context.getNode(),
      network ??
        `Could not call the ISAO API at ${host}: ${shown(reasonOf(error), MAX_DETAIL, secrets)}`,
    );
  }
  if (!isFullResponse(answer)) {
    throw operationError(
      context.getNode(),
      `The ISAO API at ${host} gave an answer without a status, so it could not be read.`,
    );
  }
  const status = answer.statusCode;
  const content = contentOf(answer.body);
  if (status >= 300 && status < 400) {
    throw apiError(context.getNode(), {
      kind: 'error',
      code: 'unsafe_redirect',
      status,
      message: `The ISAO API at ${host} answered ${String(status)} (a redirect); the API key is only ever sent to the Base URL, so the redirect was not followed. Check the Base URL of the ISAO API credential.`,
    });
  }
  const where = { method: request.method, path: new URL(`${base}${request.path}`).pathname, host };
  const failure = failureFor({ status, content }, request, where, secrets);
  if (failure) throw apiError(context.getNode(), failure);
  return { status, data: parseBody(content).value };
};
