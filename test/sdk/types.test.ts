/**
 * The typed events: `npm run lint` type-checks this file (tsc over test/), so a line marked
 * `@ts-expect-error` that stops being an error fails the lint, and so does a typed line that
 * stops type-checking. jest runs it too: the handlers below receive real signed deliveries.
 */
import {
  verify,
  Webhooks,
  type AnyIsaoEvent,
  type IsaoWebhookEvent,
  type ProblemStatus,
} from '../../sdk/src/index';
import { signedDelivery } from '../../sdk/src/testing';

const SECRET = 'whsec_types';
const NOW = Date.parse('2024-11-08T12:00:00.000Z');

describe('typed events', () => {
  it('types data and record by the event name, and narrows a union by name', async () => {
    const webhooks = new Webhooks({ secrets: SECRET, now: () => NOW });
    const seen: unknown[] = [];
    webhooks.on('deal.won', (event) => {
      const name: 'deal.won' = event.name;
      const title: string | null | undefined = event.data.title;
      const stage: string | null = event.record.stage;
      const value: number | null = event.record.value;
      const id: string | number = event.record.id;
      // any field ISAO adds is there, as unknown
      const extra: unknown = event.data.somethingNew;
      // @ts-expect-error: a deal's data has no email field
      const email: string | null | undefined = event.data.email;
      // @ts-expect-error: a deal's record has no client
      const client: string | null = event.record.client?.firstName;
      // @ts-expect-error: the name is this event's only
      const other: 'deal.lost' = event.name;
      seen.push([name, title, stage, value, id, extra, email, client, other]);
    });
    webhooks.on(['contact.created', 'deal.lost'], (event) => {
      // @ts-expect-error: not narrowed yet: a contact has no title
      const title: string | null | undefined = event.data.title;
      if (event.name === 'contact.created') {
        const email: string | null | undefined = event.data.email;
        const tags: string[] | null = event.record.tags;
        seen.push([email, tags]);
      } else {
        const probability: number | null = event.record.probability;
        seen.push(probability);
      }
      seen.push(title);
    });
    webhooks.on('appointment.created', (event) => {
      const first: string | null = event.record.client.firstName;
      const minutes: number | null = event.record.reason.visitMinutes;
      const custom: Record<string, unknown> = event.record.custom_fields;
      const staff: string | null | undefined = event.data.staff?.fullName;
      const when: string | null = event.record.isao_event.occurred_at;
      seen.push([first, minutes, custom, staff, when]);
    });
    webhooks.onAny((event: AnyIsaoEvent) => {
      if (event.name === 'appointment.created') {
        const location: string | null = event.record.location.locationName;
        seen.push(location);
      }
    });
    // @ts-expect-error: no such event
    expect(() => webhooks.on('deal.wonn', () => undefined)).toThrow(TypeError);
    for (const event of ['deal.won', 'contact.created', 'appointment.created'] as const) {
      const sent = signedDelivery(event, { secret: SECRET, now: NOW });
      expect((await webhooks.receive(sent.body, sent.headers)).status).toBe(200);
    }
    expect(seen).toEqual([
      [
        'deal.won',
        'Enterprise plan – Tech Corp',
        'Closed Won',
        12000,
        'deal_456',
        undefined,
        undefined,
        undefined,
        'deal.won',
      ],
      ['jane.smith@example.com', ['lead', 'enterprise']],
      undefined,
      ['Jon', 45, {}, 'Dr. Ana Jones', '2024-11-08T12:00:00.000Z'],
      'Paris Office',
    ]);
  });

  it('types what verify gives, a refusal by its status', () => {
    const sent = signedDelivery('deal.lost', { secret: SECRET });
    const result = verify(sent.body, sent.headers, { secrets: SECRET });
    if (result.ok) {
      const events: IsaoWebhookEvent[] = result.events;
      const [event] = result.events;
      if (event?.name === 'deal.lost') {
        const stage: string | null = event.record.stage;
        expect(stage).toBe('Closed Lost');
      }
      expect(events).toHaveLength(1);
    } else {
      const status: ProblemStatus = result.status;
      // @ts-expect-error: a refusal is never a 200
      const ok: 200 = result.status;
      throw new Error(`refused: ${String(status)} ${String(ok)}`);
    }
  });
});
