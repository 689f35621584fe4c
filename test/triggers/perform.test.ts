/** perform: the webhook shapes a trigger reads, envelopes without a record, JSON array bodies. */
import type { Bundle } from 'zapier-platform-core';
import { caught, errorText } from '../helpers';
import { run, runList, envelope } from './setup';

describe('webhook shapes, read exactly', () => {
  const perform = (key: string, bundle: Partial<Bundle>) => runList(key, 'perform', bundle);

  it('an envelope with data: null and other keys still carries no record', async () => {
    const cleanedRequest = { event: 'deal.won', data: null, id: 'd1', title: 'Not a record' };
    const error = await caught(() => perform('deal_won', { cleanedRequest }));
    expect(errorText(error)).toBe('The ISAO deal.won event carried no record.');
  });

  it('an event name without data or metadata is an envelope; any other "event" is a field', async () => {
    const flat = await perform('new_contact', {
      cleanedRequest: { event: 'contact.created', id: 'c1', name: 'Ada' },
    });
    expect(flat).toHaveLength(1);
    expect(flat[0]).toMatchObject({
      id: 'c1',
      name: 'Ada',
      isao_event: { type: 'contact.created' },
    });
    expect(flat[0]).not.toHaveProperty('event');
    // an appointment whose own "event" field is not an event name is a bare record
    const bare = await perform('appointment_created', {
      cleanedRequest: { id: 'a1', event: 'Team offsite' },
    });
    expect(bare).toHaveLength(1);
    expect(bare[0]).toMatchObject({ id: 'a1', event: 'Team offsite' });
  });

  it('an envelope whose event is not a name halts, with metadata alone as with data', async () => {
    const error = await caught(() =>
      perform('deal_won', { cleanedRequest: { event: 42, metadata: { eventId: 'evt_9' } } }),
    );
    expect(errorText(error)).toBe(
      'The ISAO webhook item "evt_9" is an envelope whose "event" is not an event name ("42").',
    );
  });

  it('topic envelopes: the payload itself when it has no appointment; eventId when no id', async () => {
    const out = await perform('appointment_created', {
      cleanedRequest: {
        data: {
          event: {
            topic: 'appointment_create',
            eventId: 'evt_t1',
            occurredAt: '2024-11-08T10:30:00.000Z',
            appId: 'app_1',
            businessId: 'b_1',
            payload: { id: 'a7', status: 'confirmed' },
          },
        },
      },
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      id: 'a7',
      status: 'confirmed',
      isao_event: {
        type: 'appointment.created',
        id: 'evt_t1',
        occurred_at: '2024-11-08T10:30:00.000Z',
        source: 'app_1',
        company_id: 'b_1',
      },
    });
    // a topic that is not a string: not a topic envelope, the body is a bare record
    const bare = await perform('appointment_created', {
      cleanedRequest: { id: 'a8', data: { event: { topic: 7, payload: { id: 'x' } } } },
    });
    expect(bare[0]).toMatchObject({ id: 'a8', isao_event: { id: null } });
  });

  it('a blank raw body falls back to the parsed body; invalid JSON is quoted trimmed', async () => {
    const out = await perform('new_contact', {
      rawRequest: { content: '  \n ', headers: {} },
      cleanedRequest: { event: 'contact.created', data: { id: 'c2' } },
    });
    expect(out.map((r) => r.id)).toEqual(['c2']);
    const error = await caught(() =>
      perform('new_contact', { rawRequest: { content: '   nope {', headers: {} } }),
    );
    expect(errorText(error)).toBe('The webhook from ISAO was not valid JSON (it starts "nope {").');
  });

  it('an empty list, or nothing, is an empty body; a record with a headers field is a record', async () => {
    for (const cleanedRequest of [[], undefined]) {
      const error = await caught(() => perform('new_contact', { cleanedRequest }));
      expect(errorText(error)).toBe('The webhook from ISAO had an empty body: nothing to process.');
    }
    const out = await perform('new_contact', {
      cleanedRequest: { id: 'c3', headers: 'Dear', querystring: 'a=1' },
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: 'c3', headers: 'Dear' });
    expect(out[0]).not.toHaveProperty('querystring');
  });
});

describe('envelopes without a data object', () => {
  it('halt clearly when they carry no record', async () => {
    for (const cleanedRequest of [
      { event: 'deal.won', data: null },
      { event: 'deal.won', timestamp: '2024-11-08T10:30:00.000Z', metadata: { eventId: 'e1' } },
    ]) {
      const error = await caught(() => run('deal_won', 'perform', { cleanedRequest }));
      expect(error.name).toBe('HaltedError');
      const id = 'metadata' in cleanedRequest ? ' "e1"' : '';
      expect(errorText(error)).toBe(`The ISAO deal.won event${id} carried no record.`);
    }
  });

  it("are another trigger's business when they name another event", async () => {
    const body = { event: 'deal.won', deal: { id: 'd1' }, metadata: { eventId: 'e9' } };
    expect(await runList('new_contact', 'perform', { cleanedRequest: body })).toEqual([]);
    expect(
      await runList('new_contact', 'perform', {
        cleanedRequest: { event: 'deal.won', data: null },
      }),
    ).toEqual([]);
  });

  it('deliver the rest of the body as the record, with the metadata', async () => {
    const record = { id: 'd1', title: 'Flat' };
    const at = '2024-11-08T10:30:00.000Z';
    const body = {
      event: 'deal.won',
      timestamp: at,
      ...record,
      metadata: { eventId: 'e10', source: 'ui' },
    };
    const [out] = await runList('deal_won', 'perform', { cleanedRequest: body });
    // the body's own fields, then the declared ones it lacks as null
    expect(Object.fromEntries(Object.entries(out!).filter(([, v]) => v !== null))).toEqual({
      id: 'd1',
      title: 'Flat',
      isao_event_key: 'e10',
      isao_event: {
        type: 'deal.won',
        id: 'e10',
        occurred_at: '2024-11-08T10:30:00.000Z',
        source: 'ui',
        company_id: null,
      },
    });
  });

  it('a record that merely has an "event" field is still a record', async () => {
    const body = { id: 'appt_1', event: 'Annual check-up' };
    const out = await runList('appointment_created', 'perform', { cleanedRequest: body });
    expect(out).toEqual([expect.objectContaining({ id: 'appt_1', event: 'Annual check-up' })]);
  });
});

describe('a JSON array body', () => {
  it("delivers each of this trigger's events, each de-duplicated on its own", async () => {
    const body = [
      envelope('deal.won', { id: 'd1' }, 'e1'),
      envelope('deal.lost', { id: 'd2' }, 'e2'),
      envelope('deal.won', { id: 'd3' }, 'e3'),
    ];
    const bundle = { rawRequest: { content: JSON.stringify(body) } };
    expect((await runList('deal_won', 'perform', bundle)).map((r) => r.id)).toEqual(['d1', 'd3']);
  });

  it('halts clearly when it holds no event object at all', async () => {
    for (const content of ['[]', '"text"', '7', 'null']) {
      const error = await caught(() => run('deal_won', 'perform', { rawRequest: { content } }));
      expect(errorText(error)).toBe(
        'The webhook from ISAO was JSON but not an event object (or a list of them): nothing to process.',
      );
    }
  });
});
