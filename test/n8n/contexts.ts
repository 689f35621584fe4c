/**
 * Mock n8n contexts for the package's unit tests, written here for the parts of n8n's contexts
 * the nodes declare (n8n/shared/contexts.ts). `httpRequestWithAuthentication` is real HTTP
 * (fetch, which nock intercepts) with the ISAO API credential's own `authenticate` applied, as
 * n8n applies it: a test sees the requests ISAO would get.
 */
import { createHmac } from 'node:crypto';
import type {
  ICredentialDataDecryptedObject,
  IDataObject,
  IHttpRequestOptions,
  INode,
  INodeExecutionData,
} from 'n8n-workflow';
import nock from 'nock';
import { IsaoApi } from '../../n8n/credentials/IsaoApi.credentials';
import type {
  ExecuteContext,
  HookContext,
  Log,
  RequestContext,
  WebhookContext,
} from '../../n8n/shared/contexts';
import { SIGNATURE_HEADER } from '../../core/signatures';

export const BASE_URL = 'https://api.isao.test/v1';
export const API_KEY = 'isao_n8n_key_42';
export const SIGNING_SECRET = 'whsec_n8n_connection_secret';
export const WEBHOOK_URL = 'https://n8n.example.test/webhook/4f1c-hook/webhook';

/** nock for the credential's Base URL; paths are under /v1. */
export const isao = () => nock('https://api.isao.test');
export const at = (path: string) => `/v1${path}`;

export const credentialData = (
  overrides: Record<string, string> = {},
): ICredentialDataDecryptedObject => ({
  apiKey: API_KEY,
  baseUrl: BASE_URL,
  signingSecret: '',
  ...overrides,
});

/** `=Bearer {{$credentials.apiKey}}` with the credential's values, as n8n resolves it. */
export const resolved = (template: string, credentials: ICredentialDataDecryptedObject): string =>
  template
    .replace(/^=/, '')
    .replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_all, name: string) => {
      const value = credentials[name];
      return typeof value === 'string' ? value : '';
    });

/** The headers the credential's generic `authenticate` adds. */
export const authHeaders = (credentials: ICredentialDataDecryptedObject): [string, string][] =>
  Object.entries(new IsaoApi().authenticate.properties.headers ?? {}).flatMap(([name, value]) =>
    typeof value === 'string' ? [[name, resolved(value, credentials)]] : [],
  );

const parsedOrText = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/** n8n's authenticated request, over fetch: the options the package uses, as n8n reads them. */
async function httpRequestWithAuthentication(
  this: RequestContext,
  credentialsType: string,
  options: IHttpRequestOptions,
): Promise<unknown> {
  const credentials = await this.getCredentials(credentialsType);
  const headers = new Headers();
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value === 'string') headers.set(name, value);
  }
  for (const [name, value] of authHeaders(credentials)) headers.set(name, value);
  const sent = typeof options.body === 'string' ? options.body : undefined;
  const response = await fetch(options.url, {
    method: options.method ?? 'GET',
    headers,
    ...(sent === undefined ? {} : { body: sent }),
    redirect: options.disableFollowRedirect ? 'manual' : 'follow',
  });
  const text = await response.text();
  if (!options.ignoreHttpStatusErrors && response.status >= 400) {
    throw new Error(`Request failed with status code ${String(response.status)}`);
  }
  // as n8n's client (axios): JSON is parsed unless the text is asked for
  const body = options.encoding === 'text' ? text : parsedOrText(text);
  return options.returnFullResponse
    ? { statusCode: response.status, headers: Object.fromEntries(response.headers), body }
    : body;
}

/** What a test reads back from n8n's log. */
export interface LogLines {
  warnings: string[];
  infos: string[];
}

const logOf = (lines: LogLines): Log => ({
  warn: (message) => lines.warnings.push(message),
  info: (message) => lines.infos.push(message),
});

const nodeOf = (type: string, id: string): INode => ({
  id,
  name: type,
  type: `n8n-nodes-isao.${type}`,
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
});

interface Common {
  parameters?: Record<string, unknown>;
  credentials?: ICredentialDataDecryptedObject;
  staticData?: IDataObject;
  nodeId?: string;
}

const requestParts = (type: string, { credentials, nodeId }: Common) => ({
  getNode: () => nodeOf(type, nodeId ?? 'node-1'),
  getCredentials: (credentialType: string) => {
    if (credentialType !== 'isaoApi') throw new Error(`unknown credential ${credentialType}`);
    return Promise.resolve(credentials ?? credentialData());
  },
  helpers: { httpRequestWithAuthentication },
});

/** A parameter as n8n returns it: the node's value, else the fallback. */
const parameterOf =
  (parameters: Record<string, unknown>) =>
  (name: string, fallback?: unknown): unknown =>
    name in parameters ? parameters[name] : fallback;

/** The node's static data; the workflow's (`global`) is not the node's to use. */
const nodeData =
  (staticData: IDataObject) =>
  (type: string): IDataObject => {
    if (type !== 'node') throw new Error(`static data of type ${type}`);
    return staticData;
  };

/** The trigger's lifecycle context (publish, unpublish) for one event and its filters. */
export const hookContext = (options: Common & { webhookUrl?: string } = {}) => {
  const lines: LogLines = { warnings: [], infos: [] };
  const staticData = options.staticData ?? {};
  const context: HookContext = {
    ...requestParts('isaoTrigger', options),
    getNodeParameter: parameterOf({ event: 'contact.created', ...options.parameters }),
    getWorkflowStaticData: nodeData(staticData),
    getNodeWebhookUrl: (name: string) =>
      name === 'default' ? (options.webhookUrl ?? WEBHOOK_URL) : undefined,
    logger: logOf(lines),
  };
  return { context, staticData, lines };
};

/** What the sender of a delivery got when the node answered it itself. */
export interface Answered {
  status?: number;
  body?: unknown;
}

/** One delivery of `body` (the raw bytes) to the trigger, with `headers`. */
export const webhookContext = (
  body: string,
  options: Common & {
    headers?: Record<string, string>;
    workflowId?: string;
    /** n8n's mode: `webhook` at the published workflow's URL (by default), `manual` at a test's. */
    mode?: string;
    /** What n8n parsed the body into, for a request without `rawBody`. */
    parsed?: IDataObject;
  } = {},
) => {
  const lines: LogLines = { warnings: [], infos: [] };
  const answered: Answered = {};
  const staticData = options.staticData ?? {};
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const response = {
    status: (code: number) => {
      answered.status = code;
      return response;
    },
    json: (sent: unknown) => {
      answered.body = sent;
      return response;
    },
  };
  const context: WebhookContext = {
    ...requestParts('isaoTrigger', options),
    getNodeParameter: parameterOf({ event: 'contact.created', ...options.parameters }),
    getWorkflowStaticData: nodeData(staticData),
    getWorkflow: () => ({ id: options.workflowId ?? 'wf-1' }),
    getMode: () => options.mode ?? 'webhook',
    getHeaderData: () => headers,
    getBodyData: () => options.parsed ?? {},
    getRequestObject: () => (options.parsed ? {} : { rawBody: Buffer.from(body, 'utf8') }),
    getResponseObject: () => response,
    logger: logOf(lines),
  };
  return { context, answered, lines, staticData };
};

/** A run of the ISAO node over one item per entry of `items` (each its parameters). */
export const executeContext = (
  items: Record<string, unknown>[],
  options: Omit<Common, 'parameters'> & { continueOnFail?: boolean } = {},
) => {
  const input: INodeExecutionData[] = items.map(() => ({ json: {} }));
  const context: ExecuteContext = {
    ...requestParts('isao', options),
    getInputData: () => input,
    getNodeParameter: (name, itemIndex, fallback) =>
      parameterOf({ resource: 'contact', operation: 'create', ...items[itemIndex] })(
        name,
        fallback,
      ),
    continueOnFail: () => options.continueOnFail ?? false,
  };
  return { context };
};

/** The signature ISAO sends: base64(HMAC-SHA256(secret, raw body)). */
export const signed = (body: string, secret = SIGNING_SECRET): Record<string, string> => ({
  [SIGNATURE_HEADER]: createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
});
