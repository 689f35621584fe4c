/**
 * The contexts `webhook()` is timed in (own-time-child.ts), one per delivery, built before the
 * timed call:
 *
 * - **n8n's own**: n8n-core's WebhookContext, the class n8n builds for every delivery, from the
 *   installed n8n, over a real n8n-workflow Workflow holding the node (its parameters resolved by
 *   n8n's expression code, its static data, `getNode()`'s deep copy, n8n's logger). The request is
 *   what n8n hands a webhook: the body already parsed (n8n parses it before calling `webhook()`),
 *   the raw bytes beside it. The one part left out is the database: n8n reads the credential
 *   from it on every `getCredentials`; here it is decrypted from n8n's own cipher text (its
 *   instance key, AES-256-CBC), as n8n then does, without the read.
 * - **the mock**: the project's unit-test context for the trigger (test/n8n/contexts.ts) and a
 *   minimal one for n8n's Webhook node: every call costs next to nothing, so what is timed is
 *   the node's own code.
 */
import path from 'node:path';
import type {
  IDataObject,
  INode,
  INodeType,
  INodeTypeDescription,
  INodeTypes,
  IWebhookResponseData,
} from 'n8n-workflow';
import type { WebhookContext } from '../../n8n/shared/contexts';
import { credentialData, webhookContext } from '../../test/n8n/contexts';
import { SECRET, type Delivery } from './deliveries';

/** What n8n's Webhook node asks of its context on a plain POST (n8n-nodes-base 2.41.1). */
export interface WebhookNodeContext {
  getNode(): INode;
  getNodeParameter(name: string, fallback?: unknown): unknown;
  getChildNodes(name: string): INode[];
  getRequestObject(): object;
  getResponseObject(): object;
  getNodeWebhookUrl(name: string): string | undefined;
  getMode(): string;
}

/** n8n's Webhook node, loaded from the installed n8n. */
export interface WebhookNode {
  description: INodeTypeDescription;
  webhook(context: WebhookNodeContext): Promise<unknown>;
}

/** A delivery's call, ready to be timed. */
export type Prepare = (delivery: Delivery) => () => Promise<unknown>;

export interface Nodes {
  isao: INodeType & { webhook(this: WebhookContext): Promise<IWebhookResponseData> };
  webhook: WebhookNode;
}

const WEBHOOK_URL = 'http://127.0.0.1:5678/webhook';
const CREDENTIAL = { isaoApi: { id: 'benchCredential1', name: 'ISAO' } };

const ISAO_NODE: INode = {
  id: 'bench-isao',
  name: 'ISAO Trigger',
  type: 'n8n-nodes-isao.isaoTrigger',
  typeVersion: 1,
  position: [0, 0],
  webhookId: '6f1d3c1e-2b7a-4f4e-9a51-0d9b8c7e6a10',
  parameters: { event: 'contact.created' },
  credentials: CREDENTIAL,
};
const WEBHOOK_NODE: INode = {
  id: 'bench-webhook',
  name: 'Webhook',
  type: 'n8n-nodes-base.webhook',
  typeVersion: 2.1,
  position: [0, 300],
  webhookId: '0b6c2d4e-8f1a-4c3b-b7d9-5e2a1f0c9d84',
  parameters: { httpMethod: 'POST', path: 'isao-bench', responseMode: 'onReceived', options: {} },
};

/** The request n8n hands a webhook: headers in lower case, the body parsed, the raw bytes. */
const requestOf = (delivery: Delivery) => ({
  method: 'POST',
  ip: '127.0.0.1',
  ips: [],
  headers: Object.fromEntries(
    Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]),
  ),
  params: {},
  query: {},
  body: JSON.parse(delivery.body.toString('utf8')) as unknown,
  rawBody: delivery.body,
  contentType: 'application/json',
});

/** express's response, as far as a refusal would write it (no delivery here is refused). */
const response = {
  status: () => response,
  json: () => response,
  writeHead: () => response,
  end: () => response,
};

/** The mock contexts. */
export const mockContexts = (nodes: Nodes): Record<keyof Nodes, Prepare> => {
  const credentials = credentialData({ signingSecret: SECRET });
  const parameters: IDataObject = WEBHOOK_NODE.parameters;
  return {
    isao: (delivery) => {
      const { context } = webhookContext(delivery.body.toString('utf8'), {
        headers: delivery.headers,
        credentials,
        workflowId: 'bench-own-time',
      });
      return () => nodes.isao.webhook.call(context);
    },
    webhook: (delivery) => {
      const request = requestOf(delivery);
      const context: WebhookNodeContext = {
        getNode: () => WEBHOOK_NODE,
        getNodeParameter: (name, fallback) => (name in parameters ? parameters[name] : fallback),
        getChildNodes: () => [],
        getRequestObject: () => request,
        getResponseObject: () => response,
        getNodeWebhookUrl: () => `${WEBHOOK_URL}/isao-bench`,
        getMode: () => 'webhook',
      };
      return () => nodes.webhook.webhook(context);
    },
  };
};

/** The parts of n8n-core (not a dependency of this project: loaded from the installed n8n). */
interface N8nCore {
  WebhookContext: new (
    workflow: object,
    node: INode,
    additionalData: object,
    mode: 'webhook',
    webhookData: object,
    closeFunctions: never[],
    runExecutionData: null,
  ) => WebhookContext & WebhookNodeContext;
  Cipher: object;
}
interface Cipher {
  encryptWithInstanceKey(data: object): string;
  decryptWithInstanceKey(data: string): string;
}

/**
 * n8n's own contexts. Loading n8n-core reads n8n's instance settings: the caller sets
 * N8N_USER_FOLDER to a folder of its own first.
 */
export const n8nContexts = (nodes: Nodes, modules: string): Record<keyof Nodes, Prepare> => {
  const load = (name: string): unknown => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed n8n's own copy
    return require(path.join(modules, name));
  };
  const core = load('n8n-core') as N8nCore;
  const { Container } = load('@n8n/di') as { Container: { get(token: object): unknown } };
  const { Workflow } = load('n8n-workflow') as typeof import('n8n-workflow');
  const cipher = Container.get(core.Cipher) as Cipher;
  const stored = cipher.encryptWithInstanceKey({
    apiKey: 'isao_bench_key',
    baseUrl: 'http://127.0.0.1:4010/api/external',
    signingSecret: SECRET,
  });
  const credentialsHelper = {
    getDecrypted: () =>
      Promise.resolve(JSON.parse(cipher.decryptWithInstanceKey(stored)) as IDataObject),
    isCredentialUsableByNode: () => true,
    getCredentialsProperties: () => [],
  };
  const types: Record<string, INodeType> = {
    [ISAO_NODE.type]: nodes.isao,
    [WEBHOOK_NODE.type]: { description: nodes.webhook.description },
  };
  const nodeTypes: INodeTypes = {
    getByName: (type) => types[type] ?? nodes.isao,
    getByNameAndVersion: (type) => types[type] ?? nodes.isao,
    getKnownTypes: () => ({}),
  };
  const workflow = new Workflow({
    id: 'benchOwnTime0001',
    name: 'bench: own time',
    nodes: [ISAO_NODE, WEBHOOK_NODE],
    connections: {},
    active: true,
    nodeTypes,
    // what the trigger's create() stored when the workflow was published
    staticData: { [`node:${ISAO_NODE.name}`]: { subscriptionId: 'sub_bench_0001' } },
    settings: { executionOrder: 'v1' },
  });
  const contextOf = (node: INode, delivery: Delivery) =>
    new core.WebhookContext(
      workflow,
      node,
      {
        credentialsHelper,
        httpRequest: requestOf(delivery),
        httpResponse: response,
        webhookBaseUrl: WEBHOOK_URL,
        webhookWaitingBaseUrl: `${WEBHOOK_URL}-waiting`,
        formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
        variables: {},
        restApiUrl: 'http://127.0.0.1:5678/rest',
        instanceBaseUrl: 'http://127.0.0.1:5678',
      },
      'webhook',
      { webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' } },
      [],
      null,
    );
  return {
    isao: (delivery) => {
      const context = contextOf(ISAO_NODE, delivery);
      return () => nodes.isao.webhook.call(context);
    },
    webhook: (delivery) => {
      const context = contextOf(WEBHOOK_NODE, delivery);
      return () => nodes.webhook.webhook(context);
    },
  };
};
