/** The sandbox ISAO API over real HTTP: POST /contacts, the triggers' sample and recent records, and the sandbox-only endpoints with their events. */
import { EVENT_NAMES } from '../../core/events';
import { type Out, sandbox, call, newContact, eventsOf } from './server.setup';

describe('POST /contacts', () => {
  it('creates the contact, answers {success, data} and emits contact.created from the api', async () => {
    const res = await call('POST', '/contacts', {
      name: '  Ada King Lovelace ',
      phoneNumber: '+44 (20) 7946-0958',
      email: 'ada@example.com',
      position: 'Analyst',
      currentCompany: 'Analytical Engines',
      tags: ['lead', ' vip', 'lead', ''],
    });
    expect(res.status).toBe(201);
    const data = (res.body as Out).data as Out;
    expect(data).toEqual({
      id: 'contact_1',
      name: 'Ada King Lovelace',
      firstName: 'Ada',
      lastName: 'King Lovelace',
      phoneNumber: '+44 (20) 7946-0958',
      email: 'ada@example.com',
      position: 'Analyst',
      currentCompany: 'Analytical Engines',
      tags: ['lead', 'vip'],
      companyId: sandbox.company.id,
      createdAt: expect.any(String),
      updatedAt: data.createdAt,
    });
    expect(sandbox.events).toEqual([
      {
        event: 'contact.created',
        timestamp: expect.any(String),
        data,
        metadata: { companyId: sandbox.company.id, eventId: expect.any(String), source: 'api' },
      },
    ]);
  });

  it.each([
    [{ phoneNumber: '+33612345678' }, 'name', 'name is required'],
    [{ name: '   ', phoneNumber: '+33612345678' }, 'name', 'name is required'],
    [{ name: 42, phoneNumber: '+33612345678' }, 'name', 'name must be a string'],
    [{ name: 'A' }, 'phoneNumber', 'phoneNumber is required'],
    [{ name: 'A', phoneNumber: 'call me' }, 'phoneNumber', /must be a phone number/],
    [{ name: 'A', phoneNumber: '12345' }, 'phoneNumber', /6 to 15 digits/],
    [
      { name: 'A', phoneNumber: '0612345678', email: 'ada@' },
      'email',
      'email must be a valid email address',
    ],
    [
      { name: 'A', phoneNumber: '0612345678', tags: 'vip' },
      'tags',
      'tags must be an array of strings',
    ],
  ])('rejects %j with 422 on %s', async (body, field, message) => {
    const res = await call('POST', '/contacts', body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, message: 'Validation failed' });
    const errors = (res.body as Out).errors as Out[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe(field);
    expect(errors[0]!.message).toEqual(
      typeof message === 'string' ? message : expect.stringMatching(message),
    );
    expect(sandbox.events).toEqual([]);
  });
});

describe('triggers: sample and recent', () => {
  it.each(EVENT_NAMES)(
    'GET /triggers/%s/sample returns one bare record with an id',
    async (event) => {
      const res = await call('GET', `/triggers/${event}/sample`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String) }));
    },
  );

  it('answers 404 for an unknown event type', async () => {
    const res = await call('GET', '/triggers/contact.deleted/recent');
    expect(res.status).toBe(404);
    expect((res.body as Out).message).toBe('Unknown event type contact.deleted');
  });

  it('lists recent records newest first, each once, honouring limit and since', async () => {
    const a = await newContact({ name: 'First One' });
    const b = await newContact({ name: 'Second One' });
    expect((await call('GET', '/triggers/contact.updated/recent')).body).toEqual([]);
    await call('PATCH', `/sandbox/contacts/${String(a.id)}`, { position: 'CEO' });
    await call('PATCH', `/sandbox/contacts/${String(a.id)}`, { position: 'CTO' });

    const created = await call('GET', '/triggers/contact.created/recent');
    expect((created.body as Out[]).map((c) => c.id)).toEqual([b.id, a.id]);
    const limited = await call('GET', '/triggers/contact.created/recent?limit=1');
    expect(limited.body).toEqual([b]);
    const updated = (await call('GET', '/triggers/contact.updated/recent')).body as Out[];
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ id: a.id, position: 'CTO' });

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await call('GET', `/triggers/contact.created/recent?since=${future}`)).body).toEqual(
      [],
    );
    const past = new Date(Date.now() - 60_000).toISOString();
    expect((await call('GET', `/triggers/contact.created/recent?since=${past}`)).body).toHaveLength(
      2,
    );
  });

  it.each(['limit=0', 'limit=ten', 'since=yesterday'])('answers 400 to ?%s', async (query) => {
    const res = await call('GET', `/triggers/contact.created/recent?${query}`);
    expect(res.status).toBe(400);
    expect((res.body as Out).success).toBe(false);
  });
});

describe('sandbox-only endpoints emit the matching events', () => {
  it('contacts: an update emits contact.updated; an update changing nothing emits nothing', async () => {
    const contact = await newContact();
    const res = await call('PATCH', `/sandbox/contacts/${String(contact.id)}`, {
      name: 'Augusta Ada King',
      tags: ['vip'],
    });
    expect(res.status).toBe(200);
    expect((res.body as Out).data).toMatchObject({
      name: 'Augusta Ada King',
      firstName: 'Augusta',
      lastName: 'Ada King',
      tags: ['vip'],
      phoneNumber: contact.phoneNumber,
    });
    await call('PATCH', `/sandbox/contacts/${String(contact.id)}`, { tags: ['vip'] });
    expect(eventsOf()).toEqual(['contact.created', 'contact.updated']);
    expect((await call('PATCH', '/sandbox/contacts/contact_999', {})).status).toBe(404);
    const bad = await call('PATCH', `/sandbox/contacts/${String(contact.id)}`, { email: 'x' });
    expect(bad.status).toBe(422);
  });

  it('deals: created, updated, stage changed, won and lost', async () => {
    const contact = await newContact();
    const res = await call('POST', '/sandbox/deals', {
      title: 'Analytical Engine',
      value: 5000,
      stage: 'Qualified',
      contactId: contact.id,
    });
    expect(res.status).toBe(201);
    const deal = (res.body as Out).data as Out;
    expect(deal).toMatchObject({
      id: 'deal_1',
      title: 'Analytical Engine',
      value: 5000,
      currency: 'EUR',
      stage: 'Qualified',
      previousStage: null,
      status: 'open',
      contactName: 'Ada Lovelace',
    });
    const path = `/sandbox/deals/${String(deal.id)}`;
    await call('PATCH', path, { value: 6000 });
    await call('PATCH', path, { stage: 'Proposal' });
    const won = await call('PATCH', path, { stage: 'Closed Won', status: 'won' });
    expect((won.body as Out).data).toMatchObject({
      stage: 'Closed Won',
      previousStage: 'Proposal',
      status: 'won',
    });
    await call('PATCH', path, { status: 'won' }); // no change: no event
    await call('PATCH', path, { status: 'lost' });
    expect(eventsOf()).toEqual([
      'contact.created',
      'deal.created',
      'deal.updated',
      'deal.updated',
      'deal.stage_changed',
      'deal.updated',
      'deal.stage_changed',
      'deal.won',
      'deal.updated',
      'deal.lost',
    ]);
    const stage = sandbox.events.find((e) => e.event === 'deal.stage_changed');
    expect(stage?.data).toMatchObject({ stage: 'Proposal', previousStage: 'Qualified' });
    expect(
      sandbox.events.every((e) => e.metadata.source !== 'api' || e.event.startsWith('contact')),
    ).toBe(true);
  });

  it.each([
    [{}, 'title'],
    [{ title: 'X', value: -1 }, 'value'],
    [{ title: 'X', status: 'maybe' }, 'status'],
    [{ title: 'X', contactId: 'contact_404' }, 'contactId'],
    [{ title: 'X', expectedCloseDate: 'soon' }, 'expectedCloseDate'],
  ])('deals: rejects %j with 422 on %s', async (body, field) => {
    const res = await call('POST', '/sandbox/deals', body);
    expect(res.status).toBe(422);
    expect(((res.body as Out).errors as Out[]).map((e) => e.field)).toEqual([field]);
  });

  it('appointments: created (the ISAO appointment object, custom fields), updated, deleted', async () => {
    const res = await call('POST', '/sandbox/appointments', {
      startDateTime: '2030-01-15T09:00:00+01:00',
      reason: { reasonId: 1, reasonDesc: 'Consultation', visitMinutes: 45 },
      client: { firstName: 'Jon', lastName: 'Snow', emailAddress: 'jon@example.com' },
      staff: { professionalId: 7, fullName: 'Dr. Ana Jones' },
      location: { locationId: 3, locationName: 'Paris Office' },
      fields: [{ label: 'Comments', value: 'Bring X-rays', dataType: 'AREA' }],
    });
    expect(res.status).toBe(201);
    const appt = (res.body as Out).data as Out;
    expect(appt).toMatchObject({
      id: 'appt_1',
      calendarid: 1,
      status: 'confirmed',
      startDateTime: '2030-01-15T08:00:00.000Z',
      endDateTime: '2030-01-15T08:45:00.000Z',
      fields: [{ label: 'Comments', value: 'Bring X-rays', dataType: 'AREA' }],
    });
    const path = `/sandbox/appointments/${String(appt.id)}`;
    const moved = await call('PATCH', path, { startDateTime: '2030-01-15T08:15:00Z' });
    expect(moved.status).toBe(200);
    const early = await call('PATCH', path, { endDateTime: '2030-01-15T08:00:00Z' });
    expect(early.status).toBe(422);
    expect(((early.body as Out).errors as Out[])[0]!.field).toBe('endDateTime');
    const deleted = await call('DELETE', path);
    expect((deleted.body as Out).data).toMatchObject({ id: appt.id, status: 'canceled' });
    expect((await call('DELETE', path)).status).toBe(404);
    expect(eventsOf()).toEqual([
      'appointment.created',
      'appointment.updated',
      'appointment.deleted',
    ]);
  });

  it('appointments: canceling is also appointment.deleted; a PATCH that changes nothing is no event', async () => {
    const res = await call('POST', '/sandbox/appointments', {
      startDateTime: '2030-01-15T09:00:00Z',
      client: { firstName: 'Jon' },
    });
    const path = `/sandbox/appointments/${String(((res.body as Out).data as Out).id)}`;
    expect((await call('PATCH', path, { status: 'confirmed' })).status).toBe(200);
    expect(eventsOf()).toEqual(['appointment.created']);
    expect((await call('PATCH', path, { status: 'canceled' })).status).toBe(200);
    expect(eventsOf()).toEqual([
      'appointment.created',
      'appointment.updated',
      'appointment.deleted',
    ]);
    const recent = await call('GET', '/triggers/appointment.deleted/recent');
    expect(recent.body).toEqual([expect.objectContaining({ status: 'canceled' })]);
  });

  it.each([
    [{ client: { firstName: 'Jon' } }, 'startDateTime'],
    [{ startDateTime: '2030-01-15', client: { firstName: 'Jon' } }, 'startDateTime'],
    [{ startDateTime: '2030-01-15T09:00:00Z' }, 'client'],
    [{ startDateTime: '2030-01-15T09:00:00Z', client: {} }, 'client'],
    [
      { startDateTime: '2030-01-15T09:00:00Z', client: { firstName: 'J' }, fields: [{ value: 1 }] },
      'fields',
    ],
  ])('appointments: rejects %j with 422 on %s', async (body, field) => {
    const res = await call('POST', '/sandbox/appointments', body);
    expect(res.status).toBe(422);
    expect(((res.body as Out).errors as Out[]).map((e) => e.field)).toEqual([field]);
  });
});
