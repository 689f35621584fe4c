/**
 * The parts of n8n's contexts the package uses, and nothing more. Each node method declares
 * these as its `this`: n8n's own IExecuteFunctions, IHookFunctions and IWebhookFunctions satisfy
 * them, and the unit tests implement exactly them (test/n8n/contexts.ts), with no cast.
 */
import type {
  ICredentialDataDecryptedObject,
  IDataObject,
  IHttpRequestOptions,
  INode,
  INodeExecutionData,
} from 'n8n-workflow';

/** What calling ISAO needs: the node (for errors), the credential, n8n's authenticated request. */
export interface RequestContext {
  getNode(): INode;
  getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
  helpers: {
    httpRequestWithAuthentication(
      this: RequestContext,
      credentialsType: string,
      requestOptions: IHttpRequestOptions,
    ): Promise<unknown>;
  };
}

/**
 * n8n's legacy request options, as far as the credential's Test sets them: n8n's client follows a
 * GET's redirects (re-sending every header, cross-origin too) unless told not to.
 */
export interface LegacyRequest {
  method: 'GET' | 'POST' | 'DELETE';
  uri: string;
  headers: Record<string, string>;
  body?: string;
  followRedirect: boolean;
  followAllRedirects: boolean;
  /** false: any status is an answer, not a thrown error. */
  simple: boolean;
  resolveWithFullResponse: boolean;
  /** false: the body is handed over as text. */
  json: boolean;
  timeout: number;
}

/** What n8n gives a credential test function (its ICredentialTestFunctions satisfy it). */
export interface CredentialTestContext {
  helpers: { request(options: LegacyRequest): Promise<unknown> };
}

/** The part of express's response a refused delivery writes. */
export interface Reply {
  status(code: number): unknown;
  json(body: unknown): unknown;
}

/** n8n's log, as far as the trigger writes to it. */
export interface Log {
  warn(message: string): void;
  info(message: string): void;
}

/** What the trigger's lifecycle (checkExists, create, delete) and its deliveries share. */
interface TriggerContext extends RequestContext {
  getNodeParameter(parameterName: string, fallbackValue?: unknown): unknown;
  getWorkflowStaticData(type: 'node'): IDataObject;
  logger: Log;
}

/** The trigger's lifecycle: publishing and unpublishing the workflow. */
export interface HookContext extends TriggerContext {
  getNodeWebhookUrl(name: 'default'): string | undefined;
}

/** One delivery to the trigger's webhook. */
export interface WebhookContext extends TriggerContext {
  getWorkflow(): { id?: string };
  /** n8n's execution mode: `webhook` at the published workflow's URL, `manual` at a test listen. */
  getMode(): string;
  getHeaderData(): Record<string, unknown>;
  getBodyData(): IDataObject;
  /** express's request: the raw bytes n8n received (n8n's own typing adds `rawBody`). */
  getRequestObject(): { rawBody?: Uint8Array };
  /** express's response: `status` and `json` refuse a delivery. */
  getResponseObject(): Reply;
}

/** A run of the action node. */
export interface ExecuteContext extends RequestContext {
  getInputData(): INodeExecutionData[];
  getNodeParameter(parameterName: string, itemIndex: number, fallbackValue?: unknown): unknown;
  continueOnFail(): boolean;
}
