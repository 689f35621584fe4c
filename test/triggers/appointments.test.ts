/** The appointment triggers: the records ISAO sends for them and their custom fields in the editor. */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { api, apiPath, appTester, authData, API_KEY, logged } from '../helpers';
import { TRIGGERS, type Out, TRIGGER_DEFS, runList, RECORDS, envelope } from './setup';

describe('appointments', () => {
  const topicBody = (topic: string) => ({
    data: {
      event: {
        topic,
        appId: '5f6b0e8b9a1d8c0001a5e5d6',
        businessId: '5f6b0e8b9a1d8c0001a5e5d7',
        occuredAt: '2020-09-23T18:00:00.000Z',
        payload: { appointment: RECORDS.appointment },
      },
    },
  });

  it.each([
    ['appointment_create', 'appointment_created'],
    ['appointment_update', 'appointment_updated'],
    ['appointment_destroy', 'appointment_deleted'],
  ])('maps topic %s to %s and no other trigger', async (topic, key) => {
    for (const [other] of TRIGGERS.filter(([k, , kind]) => kind === 'appointment' && k !== key)) {
      expect(await runList(other, 'perform', { cleanedRequest: topicBody(topic) })).toEqual([]);
    }
    const out = await runList(key, 'perform', { cleanedRequest: topicBody(topic) });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      id: 'appt_9',
      isao_event: {
        occurred_at: '2020-09-23T18:00:00.000Z',
        company_id: '5f6b0e8b9a1d8c0001a5e5d7',
        source: '5f6b0e8b9a1d8c0001a5e5d6',
      },
    });
  });

  it('ignores other topics (app_connect)', async () => {
    expect(
      await runList('appointment_created', 'perform', { cleanedRequest: topicBody('app_connect') }),
    ).toEqual([]);
  });

  it('flattens custom fields by a stable key of their label and keeps the array', async () => {
    const out = await runList('appointment_created', 'perform', {
      cleanedRequest: envelope('appointment.created', RECORDS.appointment),
    });
    expect(out[0]!.custom_fields).toEqual({
      comments: 'Bring X-rays',
      preference_horaire_2e9fc766: 'AM',
    });
    expect(out[0]!.fields).toEqual(RECORDS.appointment.fields);
    expect(out[0]!.startDateTime).toBe('2024-11-12T13:00:00.000Z');
  });

  it("keys a custom field by its own label: a mapped Phone never gets Phone #'s answer", async () => {
    const appointmentWith = async (fields: Out[]) =>
      (
        await runList('appointment_created', 'perform', {
          cleanedRequest: envelope('appointment.created', { id: 'a1', fields }),
        })
      )[0]!.custom_fields;
    const phone = { label: 'Phone', value: '+33 1 00' };
    const phoneNumber = { label: 'Phone #', value: '+33 6 00' };
    const other = { label: 'Autre', value: 0 };
    expect(await appointmentWith([phoneNumber, other])).toEqual({
      phone_f38c2711: '+33 6 00',
      autre: 0,
    });
    expect(await appointmentWith([other, phone, phoneNumber])).toEqual({
      autre: 0,
      phone: '+33 1 00',
      phone_f38c2711: '+33 6 00',
    });
    expect(await appointmentWith([{ label: '電話', value: '1' }])).toEqual({ field_5154b7cf: '1' });
    expect(
      await appointmentWith([
        { label: '住所', value: 'x' },
        { label: '電話', value: '1' },
      ]),
    ).toMatchObject({ field_5154b7cf: '1' });
  });

  it('keeps custom field values that are 0, false or empty text', async () => {
    const out = await runList('appointment_created', 'perform', {
      cleanedRequest: envelope('appointment.created', {
        id: 'a1',
        fields: [
          { label: 'Visits', value: 0, extendedValue: 'none' },
          { label: 'Insured', value: false, extendedValue: 'No' },
          { label: 'Notes', value: '', extendedValue: 'n/a' },
          { label: 'Room', value: null, extendedValue: 'B2' },
        ],
      }),
    });
    expect(out[0]!.custom_fields).toEqual({ visits: 0, insured: false, notes: '', room: 'B2' });
  });

  it('uses calendarid as the id when the appointment has no id (the ISAO appointment object)', async () => {
    const noId = { ...RECORDS.appointment };
    delete noId.id;
    const out = await runList('appointment_created', 'perform', {
      cleanedRequest: { ...noId, calendarid: 10390617 },
    });
    expect(out[0]!.id).toBe(10390617);
  });
});

describe('appointment custom fields in the editor', () => {
  type FieldsFn = (z: ZObject, bundle: Bundle) => Promise<unknown>;
  const labels = (key: string) =>
    (TRIGGER_DEFS[key]!.operation.outputFields ?? []).find(
      (f): f is FieldsFn => typeof f === 'function',
    )!;

  it('labels each custom field from one recent appointment (one API call)', async () => {
    api()
      .get(apiPath('/triggers/appointment.updated/recent'))
      .query({ limit: '1' })
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(200, [
        envelope('appointment.updated', {
          id: 'a1',
          fields: [
            { label: ' Préférence horaire? ', value: 'AM' },
            { value: 'x' },
            { schedulerPreferenceFieldDefnId: 108594, value: 'y' },
            { label: 'Phone #' },
            { label: 'Notes' },
          ],
        }),
      ]);
    // the keys perform gives these fields (records.test.ts pins them)
    expect(await appTester(labels('appointment_updated'), { authData } as never)).toEqual([
      {
        key: 'custom_fields__preference_horaire_2e9fc766',
        label: 'Préférence horaire?',
        type: 'string',
      },
      { key: 'custom_fields__field_108594', label: 'field_108594', type: 'string' },
      { key: 'custom_fields__phone_f38c2711', label: 'Phone #', type: 'string' },
      { key: 'custom_fields__notes', label: 'Notes', type: 'string' },
    ]);
  });

  it('falls back to the static fields when there is no appointment or the call fails', async () => {
    api().get(apiPath('/triggers/appointment.created/recent')).query(true).reply(200, []);
    expect(await appTester(labels('appointment_created'), { authData } as never)).toEqual([]);
    api().get(apiPath('/triggers/appointment.created/recent')).query(true).reply(500, {});
    expect(await appTester(labels('appointment_created'), { authData } as never)).toEqual([]);
    expect(logged()).toEqual([
      expect.stringMatching(
        /^ISAO: could not read custom field labels for appointment\.created \(The ISAO API had a problem \(500\).*\); showing the standard fields only\.$/,
      ),
    ]);
  });

  it('only appointments have them', () => {
    for (const [key, , kind] of TRIGGERS) {
      const fns = (TRIGGER_DEFS[key]!.operation.outputFields ?? []).filter(
        (f) => typeof f === 'function',
      );
      expect([key, fns.length]).toEqual([key, kind === 'appointment' ? 1 : 0]);
    }
  });
});
