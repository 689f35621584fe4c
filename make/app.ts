/**
 * The ISAO app for Make, built from the core: the base and the connection here, one attached
 * webhook and one instant trigger per event of the event table (triggers.ts, reading.ts),
 * Create a contact (contact.ts) and the universal "Make an API call" module (api-call.ts). Every
 * event, field, sample, input, rule and message comes from core/; what is written in make/ is
 * only how Make says it. layout.ts turns it into files; nothing is hand-kept.
 */
import { API_KEY_HELP, DEFAULT_API_URL, DOCS_URL } from '../core/api';
import type { EntityKind } from '../core/entities';
import { EVENT_NAMES, EVENTS } from '../core/events';
import { apiCall } from './api-call';
import { CONNECTION_ID, type AppDef } from './component';
import { createContact } from './contact';
import { responseFor } from './errors';
import { iml } from './iml';
import { triggerFor, triggerId, webhookFor } from './triggers';

export { MODULE_TYPE_IDS, toJson } from './component';
export type { AppDef, ModuleType } from './component';

/** The connection's one parameter; `{{connection.apiKey}}` everywhere else. */
const API_KEY = 'apiKey';
const BEARER = (source: string) => `Bearer ${iml(`${source}.${API_KEY}`)}`;
/** Make hides these request parts in every log it keeps (the key travels in this header). */
const LOG = { sanitize: ['request.headers.authorization'] };

/** The module groups Make's module picker shows, one per record kind. */
const GROUPS: readonly (readonly [EntityKind, string])[] = [
  ['contact', 'Contacts'],
  ['deal', 'Deals'],
  ['appointment', 'Appointments'],
];

const README = `# ISAO

Connects Make scenarios to [ISAO](${DOCS_URL}), the CRM and scheduling API: an instant trigger for
each ISAO event (${EVENT_NAMES.length} of them), **Create a contact**, and **Make an API call**.

Each trigger subscribes its own Make webhook URL to ISAO, with the filters set on the webhook, when
the webhook is created, and removes the subscription when it is deleted; a request carrying several
events gives one bundle per event. Make cannot check ISAO's webhook signature (it never sees the
raw body) and instant triggers have no de-duplication: each bundle carries \`eventId\` and the
\`signature\` header so a scenario can skip a retried event with a data store.
`;

/** The whole app. */
export const buildApp = (): AppDef => {
  const events = EVENT_NAMES.map((event) => EVENTS[event]);
  const triggers = events.map(triggerFor);
  return {
    name: 'isao',
    label: 'ISAO',
    description:
      'ISAO CRM and scheduling: instant triggers for contacts, deals and appointments, and Create a contact.',
    theme: '#1f4e79',
    language: 'en',
    base: {
      baseUrl: DEFAULT_API_URL,
      headers: { Authorization: BEARER('connection') },
      response: responseFor({}),
      log: LOG,
    },
    groups: [
      ...GROUPS.map(([kind, label]) => ({
        label,
        modules: [
          ...(kind === 'contact' ? ['createContact'] : []),
          ...events.filter((facts) => facts.entity.kind === kind).map(triggerId),
        ],
      })),
      { label: 'Other', modules: ['makeApiCall'] },
    ],
    readme: README,
    connection: {
      id: CONNECTION_ID,
      label: 'ISAO',
      connectionType: 'basic',
      codes: {
        // a connection does not inherit the base: its URL is absolute and it sets its own header
        communication: {
          url: `${DEFAULT_API_URL}/test`,
          method: 'GET',
          headers: { Authorization: BEARER('parameters') },
          response: responseFor({ path: '/test', permission: 'webhooks:read' }),
          log: LOG,
        },
        params: [
          { name: API_KEY, label: 'API Key', type: 'password', required: true, help: API_KEY_HELP },
        ],
      },
    },
    webhooks: events.map(webhookFor),
    modules: [...triggers, createContact(), apiCall()],
  };
};
