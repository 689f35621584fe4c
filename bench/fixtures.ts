/**
 * The webhook events the bench feeds `perform`, as Zapier hands them over: a typical ISAO contact
 * event and an appointment carrying 100 custom fields shaped like ISAO's appointment object's, both in the ISAO
 * envelope, signed with the connection's webhook secret (X-Isao-Hmac-Sha256) and, as
 * in production, carrying a `metadata.eventId` (so perform makes its one dedup cache call).
 *
 * Loaded by the measured child processes: node built-ins, our entity samples (plain data) and the
 * webhook signer and bundle builder (sandbox/signing.ts, hook-bundle.ts: node:crypto at most).
 */
import * as entities from '../core/entities';
import { hookBundle, zapierHeaders } from '../sandbox/hook-bundle';
import { signWebhook } from '../sandbox/signing';

export const WEBHOOK_SECRET = 'whsec_bench_4f1c9a7e2b';
export const API_KEY = 'isao_bench_key_123';
export const SUBSCRIBE_DATA = {
  id: 'hook_789',
  subscription_id: 'sub_abc123',
  event: 'contact.created',
  target_url: 'https://hooks.zapier.com/hooks/catch/12345/abcdef/',
};

export type Kind = 'contact' | 'appointment';

/** Our trigger for each kind of record (the bare app's one trigger takes any). */
export const TRIGGER: Record<Kind, { key: string; event: string }> = {
  contact: { key: 'new_contact', event: 'contact.created' },
  appointment: { key: 'appointment_created', event: 'appointment.created' },
};

export interface EventSpec {
  kind: Kind;
  /** The envelope's event; the kind's own by default (another one makes perform return []). */
  event?: string;
  /** `metadata.eventId`; without one perform makes no dedup cache call. */
  eventId?: string;
  /** Sign with the connection's webhook secret (and give the connection that secret). */
  signed: boolean;
  /** Distinguishes records (ids, names). */
  n?: number;
}

/** Our app's realistic contact sample (the ISAO contact's fields), made distinct and recent. */
const contact = (n: number) => ({
  ...entities.contact.sample,
  id: `contact_${String(n)}`,
  email: `jane.smith+${String(n)}@example.com`,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
});

const DATA_TYPES = ['AREA', 'TXT', 'DATE', 'CHECKBOX', 'DROPDOWN'] as const;

/** One custom field exactly as ISAO's appointment object carries them (every property, realistic values). */
const customField = (i: number) => {
  const id = 107740 + i;
  return {
    required: i % 3 === 0,
    serviceIds: i % 2 === 0 ? [107292] : null,
    userDefinedField: i % 2 === 1,
    dataType: DATA_TYPES[i % DATA_TYPES.length],
    active: true,
    code: 'UDF',
    visibleOnScheduler: true,
    validationRegex: null,
    sortOrder: 21 + i,
    businessId: 23144,
    hint: null,
    filterByService: i % 2 === 0,
    oldFieldIds: null,
    createdUser: 'mpbtest138',
    labelTag: `%CUSTOM_FIELD_${String(id)}_LABEL%`,
    modifiedDate: 1488575155000 + i * 1000,
    tagName: null,
    modifiedUser: 'MPBTEST138',
    label: i === 0 ? 'Comments' : `Intake Question ${String(i + 1)}: Preferred Contact Time?`,
    createdDate: 1488394066000 + i * 1000,
    value: `Answer number ${String(i + 1)} given by the client when booking`,
    extendedValue: `Answer number ${String(i + 1)} given by the client when booking`,
    validationError: null,
    fieldValues: null,
    visible: true,
    schedulerPreferenceFieldDefnId: id,
    mode: 'APPT',
    valueTag: `%CUSTOM_FIELD_${String(id)}%`,
  };
};

export const CUSTOM_FIELDS = 100;

/** Our app's appointment sample (reason, client, staff, location) with 100 custom fields. */
const appointment = (n: number) => ({
  ...entities.appointment.sample,
  id: `appt_${String(10390617 + n)}`,
  calendarid: 10390617 + n,
  fields: Array.from({ length: CUSTOM_FIELDS }, (_, i) => customField(i)),
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
});

/** A record of this kind as the API sends it (the `data` of an event, an item of /recent). */
export const record = (kind: Kind, n = 1): Record<string, unknown> =>
  kind === 'contact' ? contact(n) : appointment(n);

/**
 * The bundle Zapier gives a hook trigger's perform: the parsed body, the raw body and headers
 * (named as Zapier names them), the connection and the subscription.
 */
export const webhookBundle = (spec: EventSpec): Record<string, unknown> => {
  const body = {
    event: spec.event ?? TRIGGER[spec.kind].event,
    timestamp: new Date().toISOString(),
    data: record(spec.kind, spec.n),
    metadata: {
      companyId: 'cmb72clgt0003145mvfrg8iyh',
      ...(spec.eventId ? { eventId: spec.eventId } : {}),
      source: 'api',
    },
  };
  const raw = JSON.stringify(body);
  return {
    authData: { api_key: API_KEY, ...(spec.signed ? { webhook_secret: WEBHOOK_SECRET } : {}) },
    inputData: {},
    subscribeData: SUBSCRIBE_DATA,
    targetUrl: SUBSCRIBE_DATA.target_url,
    ...hookBundle(
      raw,
      zapierHeaders({
        'content-type': 'application/json',
        'user-agent': 'ISAO-Webhooks/1.0',
        ...(spec.signed ? { 'x-isao-hmac-sha256': signWebhook(WEBHOOK_SECRET, raw) } : {}),
      }),
    ),
    meta: {
      isLoadingSample: false,
      isFillingDynamicDropdown: false,
      isPopulatingDedupe: false,
      isTestingAuth: false,
      limit: -1,
      page: 0,
    },
  };
};

/** The Lambda event Zapier sends to run one operation (as zapierwrapper.js's handler gets it). */
export interface ExecuteEvent {
  command: 'execute';
  method: string;
  bundle: Record<string, unknown>;
  rpc_base: string;
  token: string;
  environment: Record<string, string>;
}

export const executeEvent = (
  method: string,
  bundle: Record<string, unknown>,
  platform: { rpcBase: string; environment: Record<string, string> },
): ExecuteEvent => ({
  command: 'execute',
  method,
  bundle,
  rpc_base: platform.rpcBase,
  token: 'bench-token',
  environment: platform.environment,
});
