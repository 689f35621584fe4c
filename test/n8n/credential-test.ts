/**
 * The ISAO API credential's Test as n8n 2.41 runs it (its CredentialsTester and legacy request
 * helper, read to learn how they behave, not copied): the credential type's own `test` request
 * when it declares one, sent with the credential's authentication by n8n's client, which follows
 * redirects re-sending every header, cross-origin too; otherwise the function a node of the
 * package names in `testedBy` for the credential, called with a context whose `helpers.request`
 * is n8n's legacy request over fetch (which nock intercepts).
 */
import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  INodeCredentialTestResult,
} from 'n8n-workflow';
import { IsaoApi } from '../../n8n/credentials/IsaoApi.credentials';
import { Isao } from '../../n8n/nodes/Isao/Isao.node';
import { IsaoTrigger } from '../../n8n/nodes/IsaoTrigger/IsaoTrigger.node';
import type { CredentialTestContext, LegacyRequest } from '../../n8n/shared/contexts';
import { authHeaders, resolved } from './contexts';

/** Redirects n8n's client follows at most (axios's default there). */
const MAX_REDIRECTS = 21;

/**
 * One request as n8n's client sends it: when `follow`, each redirect is followed with the same
 * headers (n8n 2.41 sends credentials on cross-origin redirects by default), a 303 (and a 301 or
 * 302 after a POST) as a GET; otherwise the redirect is the answer.
 */
const send = async (
  url: string,
  init: { method: string; headers: Record<string, string> },
  follow: boolean,
): Promise<Response> => {
  let target = url;
  let { method } = init;
  for (let hop = 0; ; hop += 1) {
    const response = await fetch(target, { method, headers: init.headers, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!follow || location === null || response.status < 300 || response.status >= 400) {
      return response;
    }
    if (hop >= MAX_REDIRECTS) throw new Error(`Maximum number of redirects exceeded`);
    await response.text();
    target = new URL(location, target).href;
    if (response.status === 303 || (method === 'POST' && response.status < 303)) method = 'GET';
  }
};

/** n8n's legacy `helpers.request`, for the options the package sets. */
const legacyRequest = async (options: LegacyRequest): Promise<unknown> => {
  const follow =
    (options.followRedirect && ['GET', 'HEAD'].includes(options.method)) ||
    options.followAllRedirects;
  const response = await send(options.uri, options, follow);
  const body = await response.text();
  if (options.simple && (response.status < 200 || response.status >= 300)) {
    throw new Error(`${String(response.status)} - ${JSON.stringify(body)}`);
  }
  return options.resolveWithFullResponse
    ? { statusCode: response.status, headers: Object.fromEntries(response.headers), body }
    : body;
};

export const credentialTestContext = (): CredentialTestContext => ({
  helpers: { request: legacyRequest },
});

/** The credential type's own test request, as n8n sends it: its authentication, redirects followed. */
const requestTest = async (
  type: ICredentialType,
  data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> => {
  const request = type.test?.request ?? {};
  const base = resolved(request.baseURL ?? '', data).replace(/\/+$/, '');
  const url = `${base}/${(request.url ?? '').replace(/^\/+/, '')}`;
  try {
    const response = await send(
      url,
      { method: request.method ?? 'GET', headers: Object.fromEntries(authHeaders(data)) },
      true,
    );
    return response.ok
      ? { status: 'OK', message: 'Connection successful!' }
      : { status: 'Error', message: `Received HTTP status code: ${String(response.status)}` };
  } catch (error) {
    return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
  }
};

/** What n8n's Test (and every save) of an ISAO API credential holding `data` answers. */
export const runCredentialTest = async (
  data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> => {
  const type: ICredentialType = new IsaoApi();
  if (type.test) return requestTest(type, data);
  for (const node of [new IsaoTrigger(), new Isao()]) {
    for (const { name, testedBy } of node.description.credentials ?? []) {
      const test = Object.entries(node.methods.credentialTest).find(([key]) => key === testedBy);
      if (name === type.name && test) {
        return test[1].call(credentialTestContext(), { id: 'c1', name: 'ISAO', type: name, data });
      }
    }
  }
  return { status: 'Error', message: 'No testing function found for this credential.' };
};
