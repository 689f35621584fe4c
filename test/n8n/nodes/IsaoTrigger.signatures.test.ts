/** ISAO Trigger through its node class: the signature a delivery must carry. */
import { DEDUP_TTL_SECONDS } from '../../../core/signatures';
import { credentialData, signed, SIGNING_SECRET } from '../contexts';
import {
  SUBSCRIPTION_SECRET,
  envelope,
  contactEvent,
  deliver,
  itemsOf,
  freshId,
} from './IsaoTrigger.setup';

describe('deliveries: signatures', () => {
  const payload = () => contactEvent(freshId());

  it("checks the subscription's own secret over the raw body", async () => {
    const body = JSON.stringify(payload());
    const { result, answered } = await deliver(body, {
      staticData: { subscriptionId: 's', secret: SUBSCRIPTION_SECRET },
      headers: signed(body, SUBSCRIPTION_SECRET),
    });

    expect(itemsOf(result)).toHaveLength(1);
    expect(answered).toEqual({});
  });

  it("checks the credential's secret when the subscription has none", async () => {
    const body = JSON.stringify(payload());
    const { result } = await deliver(body, {
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      headers: signed(body),
    });

    expect(itemsOf(result)).toHaveLength(1);
  });

  it.each([
    [
      'missing',
      () => ({}),
      'Rejected an unsigned webhook: a signing secret is set, but the request had no X-Isao-Hmac-Sha256 header.',
    ],
    [
      'made with the credential secret while the subscription has its own',
      (body: string) => signed(body, SIGNING_SECRET),
      'Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret.',
    ],
    [
      'over another body (tampered)',
      (body: string) => signed(body.replace('Jane', 'Joan'), SUBSCRIPTION_SECRET),
      'Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret.',
    ],
    [
      'not a digest',
      () => ({ 'X-Isao-Hmac-Sha256': 'abc' }),
      'Rejected a webhook with a malformed X-Isao-Hmac-Sha256 header: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".',
    ],
  ])('answers 401 and starts no execution for a signature %s', async (_name, headers, message) => {
    const body = JSON.stringify(payload());
    const { result, answered, lines } = await deliver(body, {
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      staticData: { subscriptionId: 's', secret: SUBSCRIPTION_SECRET },
      headers: headers(body),
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(answered).toEqual({ status: 401, body: { message } });
    expect(lines.warnings).toEqual([`ISAO: ${message}`]);
  });

  it('checks a body starting with a byte-order mark over its bytes, then reads the JSON after it', async () => {
    const event = payload();
    const body = `\uFEFF${JSON.stringify(event)}`;
    const secret = { credentials: credentialData({ signingSecret: SIGNING_SECRET }) };

    const { result, answered } = await deliver(body, { ...secret, headers: signed(body) });
    const unmarked = await deliver(body, { ...secret, headers: signed(body.slice(1)) });

    expect(itemsOf(result)).toEqual([expect.objectContaining({ id: event.data.id })]);
    expect(answered).toEqual({});
    expect(unmarked.answered.status).toBe(401);
  });

  it('reads an unsigned body starting with a byte-order mark', async () => {
    const event = payload();

    const { result } = await deliver(`\uFEFF${JSON.stringify(event)}`);

    expect(itemsOf(result)).toEqual([expect.objectContaining({ id: event.data.id })]);
  });

  it('refuses a signed event older than the replay window, without an execution', async () => {
    const old = new Date(Date.now() - (DEDUP_TTL_SECONDS + 60) * 1000).toISOString();
    const body = JSON.stringify(envelope('contact.created', { id: 'c1' }, 'evt_replayed', old));

    const { result } = await deliver(body, {
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      headers: signed(body),
    });

    expect(result.workflowData).toBeUndefined();
    expect(result.webhookResponse).toEqual({
      received: true,
      executions: 0,
      reason: expect.stringMatching(
        /^Rejected a replayed webhook: the signed event "evt_replayed" is from/,
      ),
    });
  });

  it('refuses a delivery without raw bytes when a secret is known: nothing could be checked', async () => {
    const payload = contactEvent(freshId());
    const { result, answered } = await deliver('', {
      parsed: payload,
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      headers: signed(''),
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(answered).toEqual({
      status: 401,
      body: {
        message:
          'Could not verify the webhook signature: n8n passed no raw request body, so the delivery was refused.',
      },
    });
  });

  it("reads n8n's parse of the body when the request has no raw bytes", async () => {
    const payload = contactEvent(freshId());
    const { result } = await deliver('', { parsed: payload });

    expect(itemsOf(result)).toEqual([expect.objectContaining({ id: payload.data.id })]);
  });

  it('accepts unsigned deliveries when no secret is known', async () => {
    const { result } = await deliver(payload());

    expect(itemsOf(result)).toHaveLength(1);
  });
});
