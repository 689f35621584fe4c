/** Custom API-key authentication: the key, an optional webhook signing secret, and a label. */
import type { Authentication, ZObject, Bundle } from 'zapier-platform-core';
import { apiHost, callApi } from './lib/api';
import { API_KEY_HELP, DOCS_URL, unwrapData } from '../core/api';
import { isRecord, text } from '../core/inputs';

const dig = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value);

/**
 * Where the test response may name the account, in the order they win. The label is how a user
 * tells connections apart in the Zap editor, and someone with several ISAO accounts connects one
 * key per company: so the company's name first (under each spelling ISAO may use, then an account
 * or organisation name), then a bare `name` (the answer describes the key's account). The email
 * of the user who owns the key comes after: it tells two keys of one company apart but not which
 * company they reach. The key's own name is last: whoever made the key chose it, often a generic
 * "Zapier". Tests pin each neighbour's precedence.
 */
const LABEL_PATHS: readonly (readonly string[])[] = [
  ['company', 'name'],
  ['company_name'],
  ['companyName'],
  ['account', 'name'],
  ['organization', 'name'],
  ['name'],
  ['user', 'email'],
  ['email'],
  ['key', 'name'],
];

const ID_PATHS: readonly (readonly string[])[] = [
  ['company', 'id'],
  ['companyId'],
  ['company_id'],
  ['account', 'id'],
];

/** The connection label: the company the key belongs to, else its id, else the API host. */
export const connectionLabelFor = (testBody: unknown): string => {
  const data = unwrapData(testBody);
  const pick = (paths: readonly (readonly string[])[]): string | undefined =>
    paths.map((p) => text(dig(data, p)) ?? text(dig(testBody, p))).find(Boolean);
  const name = pick(LABEL_PATHS);
  if (name) return name;
  const id = pick(ID_PATHS);
  if (id) return `company ${id}`;
  return `ISAO (${apiHost()})`;
};

const test = async (z: ZObject, bundle: Bundle) => {
  if (text(bundle.authData.api_key) === undefined) {
    throw new z.errors.Error('Enter your ISAO API key.', 'missing_api_key', 400);
  }
  const { data } = await callApi(z, bundle, {
    path: '/test',
    authTest: true,
    permission: 'webhooks:read',
  });
  const body = isRecord(data) ? data : {};
  return { ...body, connection_label: connectionLabelFor(data) };
};

export default {
  type: 'custom',
  fields: [
    {
      key: 'api_key',
      label: 'API Key',
      type: 'password',
      required: true,
      helpText: API_KEY_HELP,
    },
    {
      key: 'webhook_secret',
      label: 'Webhook Signing Secret',
      type: 'password',
      required: false,
      helpText: `Optional. The signing secret shown with your webhook settings in the ISAO dashboard (see [the ISAO API documentation](${DOCS_URL})). When set, Zapier checks the \`X-Isao-Hmac-Sha256\` signature of every event and rejects events that are unsigned, tampered with or replayed. Leave empty to accept events without checking signatures.`,
    },
  ],
  test,
  connectionLabel: '{{bundle.inputData.connection_label}}',
} satisfies Authentication;
