/**
 * What a Make trigger gives for the requests ISAO sends: the generated webhook section run
 * through the IML evaluator (test/make/iml/) on real delivery bytes (the sandbox's events as its
 * dispatcher sends them, the core's samples, batches, the envelopes the core reads), compared
 * field by field with the core's records for the same bytes (core/webhook.ts `readWebhook`,
 * core/delivery.ts `deliveryOf`, unsigned: Make never sees the raw body, so it cannot check a
 * signature). Where Make cannot do what the core does, the test below says so and pins what
 * Make gives instead (docs/make.md, "What Make cannot do").
 */
import { deliveryOf, outputFieldsFor } from '../../core/delivery';
import { EVENT_NAMES, EVENTS, sampleOf, type IsaoEvent } from '../../core/events';
import { isRecord } from '../../core/inputs';
import { ID_KEYS } from '../../core/records';
import { SIGNATURE_HEADER } from '../../core/signatures';
import { readWebhook } from '../../core/webhook';
import { signWebhook } from '../../sandbox/signing';
import { createStore } from '../../sandbox/store';
import { envelope, type Envelope } from '../../sandbox/webhooks';
import { forEvent, section } from './app-code';
import { bundlesOf } from './iml/runtime';

const SIGNATURE = SIGNATURE_HEADER.toLowerCase();
const AT = new Date('2024-11-08T10:30:00.000Z');
const COMPANY = 'cmp_sandbox_0001';

/** The bundles the event's trigger gives for a request with this body. */
const bundles = (event: IsaoEvent, raw: string, headers: Record<string, string> = {}) =>
  bundlesOf(
    section(forEvent(event).hook, 'communication'),
    { body: JSON.parse(raw), headers },
    { parameters: {}, connection: { apiKey: 'isao_test_key_123' } },
  );

/** The core's records for the same bytes, unsigned. */
const records = (event: IsaoEvent, raw: string) => {
  const read = readWebhook(raw);
  if ('nothing' in read) return [];
  return deliveryOf(EVENTS[event], read, { signed: false, now: 0, filters: undefined }).records;
};

const at = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value) ?? null;

/** A record's or bundle's declared fields, each at its path, null where it has none. */
const fieldsOf = (event: IsaoEvent, value: unknown) =>
  Object.fromEntries(
    outputFieldsFor(EVENTS[event]).map((f) => [f.key, at(value, f.key.split('__'))]),
  );

/** Make's bundles and the core's records agree field by field, and on Make's own two fields. */
const expectSame = (event: IsaoEvent, raw: string, headers: Record<string, string> = {}) => {
  const core = records(event, raw);
  const make = bundles(event, raw, headers);
  expect(make.map((b) => fieldsOf(event, b))).toEqual(core.map((r) => fieldsOf(event, r)));
  expect(make.map((b) => [at(b, ['eventId']), at(b, ['signature'])])).toEqual(
    core.map((r) => [r.isao_event.id, headers[SIGNATURE] ?? null]),
  );
  return core.length;
};

/** The sandbox's events for a contact, two deals and an appointment, as its dispatcher sends them. */
const sandboxEvents = (): Envelope[] => {
  const store = createStore({ companyId: COMPANY, now: () => AT });
  const changes = [
    ...store.createContact({ name: 'Jane Smith', phoneNumber: '+33612345678', tags: ['lead'] }),
    ...store.updateContact('contact_1', { city: 'Lyon', email: 'jane@example.com' }),
    ...store.createDeal({ title: 'Plan', value: 1200, contactId: 'contact_1', stage: 'Qualified' }),
    ...store.updateDeal('deal_1', { stage: 'Proposal' }),
    ...store.updateDeal('deal_1', { status: 'won' }),
    ...store.createDeal({ title: 'Other', status: 'lost' }),
    ...store.createAppointment({
      startDateTime: '2024-11-12T13:00:00.000Z',
      client: { clientId: 7, firstName: 'Jon', lastName: 'Snow' },
      staff: { professionalId: 42441, fullName: 'Dr. Ana Jones' },
      location: { locationId: 29945, locationName: 'Paris Office' },
      reason: { reasonId: 96439, reasonDesc: 'Initial consultation', visitMinutes: 45 },
      fields: [{ label: 'Referral', value: 'Web' }],
    }),
    ...store.updateAppointment('appt_1', {
      startDateTime: '2024-11-13T09:00:00.000Z',
      endDateTime: '2024-11-13T09:45:00.000Z',
    }),
    ...store.deleteAppointment('appt_1'),
  ];
  return changes.map(({ event, record }) => envelope(event, record, COMPANY, 'api', AT));
};

const SANDBOX = sandboxEvents();

test('the sandbox sends every event of the table', () => {
  expect(new Set(SANDBOX.map((e) => e.event))).toEqual(new Set(EVENT_NAMES));
});

test.each(SANDBOX.map((e) => [e.event, e] as const))(
  "%s as the sandbox sends it (signed): one bundle, the core's record field by field",
  (event, sent) => {
    const raw = JSON.stringify(sent);
    const headers = { [SIGNATURE]: signWebhook('whsec_test', raw) };
    expect(expectSame(event, raw, headers)).toBe(1);
    expect(bundles(event, raw, headers)).toMatchObject([
      { eventId: sent.metadata.eventId, isao_event: { type: event, source: 'api' } },
    ]);
  },
);

test.each(EVENT_NAMES)(
  '%s: a JSON array of deliveries gives one bundle per event of the trigger, none for the rest',
  (event) => {
    const raw = JSON.stringify([7, ...SANDBOX, null, 'text', [SANDBOX[0]]]);
    const kept = SANDBOX.filter((e) => e.event === event);
    expect(expectSame(event, raw, { [SIGNATURE]: 'sig' })).toBe(kept.length);
    expect(bundles(event, raw).map((b) => at(b, ['eventId']))).toEqual(
      kept.map((e) => e.metadata.eventId),
    );
  },
);

describe.each(EVENT_NAMES)('%s: the envelopes the core reads', (event) => {
  const facts = EVENTS[event];
  const record = sampleOf(event);
  const metadata = { eventId: 'evt_1', source: 'api', companyId: COMPANY };
  const cases: [string, unknown, number][] = [
    ['the ISAO envelope', { event, timestamp: AT.toISOString(), data: record, metadata }, 1],
    ['a flat envelope', { event, timestamp: AT.toISOString(), metadata, ...record }, 1],
    ['a record without its own id', { event, metadata, data: { name: 'No id' } }, 1],
    [
      'a record holding each of its id keys, each a different id (the first read wins)',
      {
        event,
        metadata,
        data: Object.fromEntries(ID_KEYS[facts.entity.kind].map((key) => [key, `rec_${key}`])),
      },
      1,
    ],
    ['another event', { event: event === 'deal.won' ? 'deal.lost' : 'deal.won', data: record }, 0],
    ['an event that is no name', { event: 42, data: record, metadata }, 0],
    ['an envelope without a record', { event, data: null, metadata }, 0],
    ['an empty list', [], 0],
    [
      'a topic envelope named by the event',
      { data: { event: { topic: event, id: 'evt_n', payload: record } } },
      1,
    ],
    [
      'a topic envelope with both spellings of each key (the first read wins)',
      {
        data: {
          event: {
            topic: event,
            id: 'evt_id',
            eventId: 'evt_eventId',
            occuredAt: AT.toISOString(),
            occurredAt: '2030-01-01T00:00:00.000Z',
            source: 'app',
            appId: 'web',
            businessId: 'b20398',
            payload: record,
          },
        },
      },
      1,
    ],
    ...facts.aliases.flatMap((topic): [string, unknown, number][] => [
      [
        `the topic envelope (${topic})`,
        {
          data: {
            event: {
              topic,
              id: 'evt_t',
              occuredAt: AT.toISOString(),
              appId: 'web',
              businessId: 'b20398',
              payload: { appointment: record },
            },
          },
        },
        1,
      ],
      [
        `the topic envelope (${topic}), its other keys`,
        {
          data: {
            event: {
              topic,
              eventId: 'evt_u',
              occurredAt: AT.toISOString(),
              source: 'app',
              payload: record,
            },
          },
        },
        1,
      ],
    ]),
  ];
  test.each(cases)('%s', (_name, body, count) => {
    expect(expectSame(event, JSON.stringify(body))).toBe(count);
  });
});

describe('what Make cannot do as the core does (docs/make.md)', () => {
  const event = 'contact.created';

  test.each([
    ['a bare record', sampleOf(event)],
    ['an envelope without metadata', { event, data: sampleOf(event) }],
  ])(
    "%s: no event id, so the core's event key is a digest of it, Make's is empty",
    (_name, body) => {
      const raw = JSON.stringify(body);
      const [core] = records(event, raw);
      const make = bundles(event, raw);
      expect(make.map((b) => ({ ...fieldsOf(event, b), isao_event_key: 'digest' }))).toEqual([
        { ...fieldsOf(event, core), isao_event_key: 'digest' },
      ]);
      expect([core?.isao_event_key, at(make[0], ['isao_event_key'])]).toEqual([
        expect.stringMatching(/^[0-9a-f]{16}$/),
        null,
      ]);
    },
  );

  test('an object without an id, bare or in a flat envelope: a record keyed by a digest in the core, none in Make', () => {
    for (const body of [{ name: 'x' }, { event, metadata: { eventId: 'e' }, name: 'x' }]) {
      expect(records(event, JSON.stringify(body))).toHaveLength(1);
      expect(bundles(event, JSON.stringify(body))).toEqual([]);
    }
  });

  test('no event id and no record id: the core makes both from a digest, Make leaves them empty', () => {
    const raw = JSON.stringify({ event, data: { name: 'x' } });
    const [core] = records(event, raw);
    expect([core?.id, core?.isao_event_key]).toEqual([
      expect.stringMatching(/^[0-9a-f]{16}$/),
      expect.stringMatching(/^[0-9a-f]{16}$/),
    ]);
    expect(bundles(event, raw).map((b) => [at(b, ['id']), at(b, ['isao_event_key'])])).toEqual([
      [null, null],
    ]);
  });

  test('metadata as sent: the core reads a number or a padded text as trimmed text, Make passes it on', () => {
    const raw = JSON.stringify({
      event,
      data: { id: 'c1' },
      metadata: { eventId: 42, source: ' api ' },
    });
    expect(records(event, raw).map((r) => [r.isao_event.id, r.isao_event.source])).toEqual([
      ['42', 'api'],
    ]);
    expect(
      bundles(event, raw).map((b) => [at(b, ['eventId']), at(b, ['isao_event', 'source'])]),
    ).toEqual([[42, ' api ']]);
  });

  test('one event twice in one request: the core keeps the first, Make gives both (the data store recipe skips the second)', () => {
    const one = { event, data: { id: 'c1' }, metadata: { eventId: 'e1' } };
    const raw = JSON.stringify([one, one]);
    expect(records(event, raw)).toHaveLength(1);
    expect(bundles(event, raw)).toHaveLength(2);
  });

  test("fields the trigger does not declare, and an appointment's custom_fields, are the core's only", () => {
    const raw = JSON.stringify({
      event,
      data: { id: 'c1', extra: 'x' },
      metadata: { eventId: 'e1' },
    });
    expect(records(event, raw)[0]?.extra).toBe('x');
    expect(bundles(event, raw)[0]).not.toHaveProperty('extra');
    const appt = JSON.stringify({
      event: 'appointment.created',
      data: { id: 'a1', fields: [{ label: 'Referral', value: 'Web' }] },
    });
    expect(records('appointment.created', appt)[0]?.custom_fields).toEqual({ referral: 'Web' });
    expect(bundles('appointment.created', appt)[0]).not.toHaveProperty('custom_fields');
  });
});
