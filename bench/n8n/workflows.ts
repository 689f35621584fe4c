/**
 * The peers of the ISAO Trigger workflow (scripts/n8n/workflows.ts), as `n8n import:workflow`
 * reads them, built from n8n's own node types (n8n-nodes-base 2.41.1):
 *
 * - **Webhook node alone**: a POST Webhook, answering on receipt, nothing after it;
 * - **the user's flow**, what a user builds without this package: Webhook (keeping the raw body)
 *   → Crypto (HMAC-SHA256 of the raw body with the signing secret, base64, as ISAO signs) → IF
 *   (it equals the `X-Isao-Hmac-Sha256` header) → Remove Duplicates (items processed in previous
 *   executions, on `metadata.eventId`). For a batch (a JSON array of events) the user needs a
 *   Split Out on the body before Remove Duplicates: a variant of its own, for batches only.
 */
import { randomUUID } from 'node:crypto';
import type { IConnections, INode } from 'n8n-workflow';
import { SIGNATURE_HEADER } from '../../core/signatures';

export const CRYPTO_CREDENTIAL = { id: 'isaoBenchCrypto1', name: 'ISAO signing secret (HMAC)' };

/** n8n's Crypto credential holding the ISAO signing secret, as `n8n import:credentials` reads it. */
export const cryptoCredential = (secret: string) => ({
  ...CRYPTO_CREDENTIAL,
  type: 'crypto',
  data: { hmacSecret: secret },
  isManaged: false,
});

export interface PeerWorkflow {
  id: string;
  /** The Webhook node's path: the workflow answers at `/webhook/<path>`. */
  path: string;
  workflow: {
    id: string;
    name: string;
    active: boolean;
    settings: { executionOrder: 'v1' };
    nodes: INode[];
    connections: IConnections;
  };
}

const node = (
  name: string,
  type: string,
  typeVersion: number,
  parameters: INode['parameters'],
  extra: Partial<INode> = {},
): INode => ({
  id: randomUUID(),
  name,
  type: `n8n-nodes-base.${type}`,
  typeVersion,
  position: [0, 0],
  parameters,
  ...extra,
});

const webhook = (path: string, options: INode['parameters']) =>
  node(
    'Webhook',
    'webhook',
    2.1,
    { httpMethod: 'POST', path, responseMode: 'onReceived', options },
    { webhookId: randomUUID() },
  );

/** Each node feeds the next through its first output (the IF's "true"). */
const chain = (nodes: readonly INode[]): IConnections =>
  Object.fromEntries(
    nodes
      .slice(0, -1)
      .map((from, i) => [
        from.name,
        { main: [[{ node: nodes[i + 1]?.name ?? '', type: 'main', index: 0 }]] },
      ]),
  );

const peer = (id: string, name: string, path: string, nodes: INode[]): PeerWorkflow => ({
  id,
  path,
  workflow: {
    id,
    name,
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: nodes.map((n, i) => ({ ...n, position: [i * 250, 0] })),
    connections: chain(nodes),
  },
});

export const webhookAlone = (): PeerWorkflow =>
  peer('isaoBenchWebhook', 'bench: Webhook node alone', 'isao-bench-webhook', [
    webhook('isao-bench-webhook', {}),
  ]);

/** The user's flow; `split` puts a Split Out of the body (a batch's array) before de-duplicating. */
export const userFlow = (split: boolean): PeerWorkflow => {
  const path = split ? 'isao-bench-flow-batch' : 'isao-bench-flow';
  const nodes = [
    webhook(path, { rawBody: true }),
    node(
      'Crypto',
      'crypto',
      2,
      {
        action: 'hmac',
        binaryData: true,
        binaryPropertyName: 'data',
        type: 'SHA256',
        encoding: 'base64',
        dataPropertyName: 'signature',
      },
      { credentials: { crypto: CRYPTO_CREDENTIAL } },
    ),
    node('IF', 'if', 2.3, {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 3 },
        conditions: [
          {
            id: randomUUID(),
            leftValue: '={{ $json.signature }}',
            rightValue: `={{ $json.headers['${SIGNATURE_HEADER.toLowerCase()}'] }}`,
            operator: { type: 'string', operation: 'equals' },
          },
        ],
        combinator: 'and',
      },
      options: {},
    }),
    ...(split ? [node('Split Out', 'splitOut', 1, { fieldToSplitOut: 'body', options: {} })] : []),
    node('Remove Duplicates', 'removeDuplicates', 2, {
      operation: 'removeItemsSeenInPreviousExecutions',
      dedupeValue: split ? '={{ $json.metadata.eventId }}' : '={{ $json.body.metadata.eventId }}',
      options: {},
    }),
  ];
  return split
    ? peer('isaoBenchFlowBatch', "bench: the user's flow, for batches", path, nodes)
    : peer('isaoBenchFlow', "bench: the user's flow", path, nodes);
};

/** The node whose output says the user's flow let a delivery through. */
export const LAST_NODE = 'Remove Duplicates';
