/** The id Zapier de-duplicates on: the record's, an alias of it, or the event's. */
import { EVENTS, type IsaoEvent } from '../../core/events';
import { runList, envelope } from './setup';

test('a record without any id still gets a stable one (never dropped)', async () => {
  const body = envelope('deal.won', { title: 'No id' }, 'evt_77');
  expect((await runList('deal_won', 'perform', { cleanedRequest: body }))[0]!.id).toBe('evt_77');
  const bare = (await runList('deal_won', 'perform', { cleanedRequest: { title: 'No id' } }))[0]!;
  const again = (await runList('deal_won', 'perform', { cleanedRequest: { title: 'No id' } }))[0]!;
  expect(bare.id).toMatch(/^[0-9a-f]{16}$/);
  expect(again.id).toBe(bare.id);
});

describe('record ids', () => {
  /** Each id alias, and a trigger whose records carry it. */
  const ALIASES: Record<string, IsaoEvent> = {
    contactId: 'contact.created',
    contact_id: 'contact.created',
    dealId: 'deal.won',
    deal_id: 'deal.won',
    appointmentId: 'appointment.created',
    appointment_id: 'appointment.created',
    calendarId: 'appointment.created',
  };
  it.each(Object.entries(ALIASES))('take %s when the record has no id', async (alias, event) => {
    const out = await runList(EVENTS[event].trigger, 'perform', {
      cleanedRequest: envelope(event, { [alias]: 'x_1', id: '' }, 'e1'),
    });
    expect(out[0]!.id).toBe('x_1');
  });

  it('fall back from an empty or non-scalar id to the event id', async () => {
    for (const id of ['', { nested: 1 }, null, true]) {
      const out = await runList('deal_won', 'perform', {
        cleanedRequest: envelope('deal.won', { id }, 'evt_5'),
      });
      expect(out[0]!.id).toBe('evt_5');
    }
  });
});
