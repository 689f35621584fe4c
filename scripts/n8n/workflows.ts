/**
 * What the end-to-end run imports into n8n, as `n8n import:credentials` and `n8n import:workflow`
 * read it: an "ISAO API" credential (plain data; n8n encrypts it on import) and two workflows, one
 * started by the ISAO Trigger and one where a Webhook node feeds the ISAO node's Create Contact.
 */
import { randomUUID } from 'node:crypto';

/** The community package's name: n8n prefixes its node types with it. */
export const PACKAGE = 'n8n-nodes-isao';
export const CREDENTIAL_TYPE = 'isaoApi';

export const CREDENTIAL = { id: 'isaoE2eCred00001', name: 'ISAO sandbox' };
export const TRIGGER_WORKFLOW_ID = 'isaoE2eTrigger01';
export const CREATE_WORKFLOW_ID = 'isaoE2eCreate001';
/** The Webhook node's path in the Create Contact workflow. */
export const CREATE_PATH = 'isao-e2e-create-contact';

export interface CredentialData {
  apiKey: string;
  baseUrl: string;
  signingSecret: string;
}

export const credentialFile = (data: CredentialData) => [
  { ...CREDENTIAL, type: CREDENTIAL_TYPE, data, isManaged: false },
];

const credentials = { [CREDENTIAL_TYPE]: CREDENTIAL };

/** The trigger workflow and the id of its trigger's webhook (part of the webhook URL). */
export const triggerWorkflow = (event: string) => {
  const webhookId = randomUUID();
  return {
    webhookId,
    workflow: {
      id: TRIGGER_WORKFLOW_ID,
      name: `ISAO e2e: ${event}`,
      active: false,
      settings: { executionOrder: 'v1' },
      connections: {},
      nodes: [
        {
          id: randomUUID(),
          name: 'ISAO Trigger',
          type: `${PACKAGE}.isaoTrigger`,
          typeVersion: 1,
          position: [0, 0],
          webhookId,
          parameters: { event },
          credentials,
        },
      ],
    },
  };
};

/** Webhook (v2, answers with the last node's first item) → ISAO: Contact → Create. */
export const createContactWorkflow = () => ({
  id: CREATE_WORKFLOW_ID,
  name: 'ISAO e2e: Create Contact',
  active: false,
  settings: { executionOrder: 'v1' },
  nodes: [
    {
      id: randomUUID(),
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      webhookId: randomUUID(),
      parameters: { httpMethod: 'POST', path: CREATE_PATH, responseMode: 'lastNode', options: {} },
    },
    {
      id: randomUUID(),
      name: 'ISAO',
      type: `${PACKAGE}.isao`,
      typeVersion: 1,
      position: [300, 0],
      parameters: {
        resource: 'contact',
        operation: 'create',
        name: '={{ $json.body.name }}',
        phoneNumber: '={{ $json.body.phoneNumber }}',
        email: '={{ $json.body.email }}',
        tags: '={{ $json.body.tags }}',
      },
      credentials,
    },
  ],
  connections: { Webhook: { main: [[{ node: 'ISAO', type: 'main', index: 0 }]] } },
});
