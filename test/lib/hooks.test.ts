/**
 * The hook engine (hooks.ts) where the per-trigger tests (test/triggers) do not reach: other
 * events in a signed webhook, a single record from `/recent`, the permission each operation names
 * when ISAO refuses it, and the editor's custom-field labels when they cannot be read.
 */
import type { Bundle, PlainOutputField, ZObject } from 'zapier-platform-core';
import { hookBundle } from '../../sandbox/hook-bundle';
import { signWebhook } from '../../sandbox/signing';
import App from '../../src';
import { triggers } from '../../src/triggers';
import {
  api,
  apiPath,
  appErrorOf,
  appTester,
  authData,
  caught,
  errorText,
  fullBundle,
  stubZ,
} from '../helpers';

const SECRET = 'whsec_hooks';

/** A signed webhook for new_contact carrying these items. */
const signedDelivery = (items: unknown) => {
  const raw = JSON.stringify(items);
  return fullBundle({
    authData: { ...authData, webhook_secret: SECRET },
    subscribeData: { subscription_id: 'sub_1' },
    ...hookBundle(raw, { 'Http-X-Isao-Hmac-Sha256': signWebhook(SECRET, raw) }),
  });
};
const envelope = (event: string, id: string) => ({
  event,
  timestamp: new Date().toISOString(),
  data: { id, name: 'Ada' },
});
const performContact = (bundle: Bundle) =>
  appTester(
    (z: ZObject, b: Bundle) => triggers.new_contact.operation.perform(z, b),
    bundle,
  ) as Promise<Record<string, unknown>[]>;

describe('perform: other events in a signed webhook', () => {
  it('passes over an event of another type: no record, no error', async () => {
    expect(await performContact(signedDelivery(envelope('deal.won', 'd1')))).toEqual([]);
  });

  it('keeps its own event from a signed batch that also carries another type', async () => {
    const out = await performContact(
      signedDelivery([envelope('deal.won', 'd1'), envelope('contact.created', 'c1')]),
    );
    expect(out.map((r) => r.id)).toEqual(['c1']);
  });
});

describe('performList', () => {
  it('reads a /recent answer that is one record, not a list', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query(true)
      .reply(200, { id: 'd1', title: 'Big deal', status: 'won' });
    const out = (await appTester(
      (z: ZObject, b: Bundle) => triggers.deal_won.operation.performList(z, b),
      fullBundle({ authData }),
    )) as Record<string, unknown>[];
    expect(out.map((r) => r.id)).toEqual(['d1']);
  });
});

describe('a 403 names the permission each operation needs', () => {
  const refuse = () => ({ error: { message: 'Insufficient scope' } });

  it.each([
    [
      'performList',
      'webhooks:read',
      () => api().get(apiPath('/triggers/deal.won/recent')).query(true).reply(403, refuse()),
    ],
    [
      'performSubscribe',
      'webhooks:write',
      () => api().post(apiPath('/webhooks/subscribe')).reply(403, refuse()),
    ],
    [
      'performUnsubscribe',
      'webhooks:write',
      () => api().delete(apiPath('/webhooks/unsubscribe')).reply(403, refuse()),
    ],
  ] as const)('%s: `%s`', async (op, permission, mock) => {
    mock();
    const error = await caught(() =>
      appTester(
        (z: ZObject, b: Bundle) => triggers.deal_won.operation[op](z, b),
        fullBundle({ authData, subscribeData: { subscription_id: 'sub_1' } }),
      ),
    );
    expect(appErrorOf(error)).toMatchObject({ code: 'missing_permission', status: 403 });
    expect(errorText(error)).toContain(`\`${permission}\` permission`);
  });
});

describe("the editor's custom-field labels", () => {
  type Labels = (z: ZObject, bundle: Bundle) => Promise<PlainOutputField[]>;
  const labels = App.triggers.appointment_created.operation.outputFields.find(
    (f): f is Labels => typeof f === 'function',
  )!;
  /** A z whose requests get `status` and `body`, logging into a mock. */
  const zAnswering = (status: number, body: unknown) => {
    const { z, log } = stubZ();
    const answer = { status, content: JSON.stringify(body), getHeader: () => undefined };
    return { z: Object.assign(z, { request: () => Promise.resolve(answer) }), log };
  };

  it('none to read: the static fields, and nothing logged', async () => {
    const { z, log } = zAnswering(200, []);
    expect(await labels(z, fullBundle({ authData }))).toEqual([]);
    expect(log).not.toHaveBeenCalled();
  });

  it('a refused read: the static fields, and one log line saying why', async () => {
    const { z, log } = zAnswering(403, { error: { message: 'Insufficient scope' } });
    expect(await labels(z, fullBundle({ authData }))).toEqual([]);
    expect(log).toHaveBeenCalledTimes(1);
    const [line] = log.mock.calls[0] as [string];
    expect(line).toContain('ISAO: could not read custom field labels for appointment.created');
    expect(line).toContain(
      '403 Forbidden: Insufficient scope). The API key lacks the `webhooks:read',
    );
    expect(line).toContain('showing the standard fields only');
  });
});
