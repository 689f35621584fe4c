/** ISAO Trigger through its node class: the description n8n shows. */
import { EVENT_NAMES, EVENTS } from '../../../core/events';
import { trigger } from './IsaoTrigger.setup';

describe('description', () => {
  it('offers the ten events of the event table, labelled and described from it', () => {
    const event = trigger.description.properties.find((p) => p.name === 'event');
    expect(event?.options).toEqual(
      EVENT_NAMES.map((name) => ({
        name: EVENTS[name].label,
        value: name,
        description: EVENTS[name].description,
      })),
    );
    expect(event?.default).toBe('contact.created');
  });

  it("offers each record kind's filters, as lists, for the events that have them", () => {
    const filters = trigger.description.properties
      .filter((p) => p.name !== 'event')
      .map((p) => ({
        name: p.name,
        label: p.displayName,
        multiple: p.typeOptions?.multipleValues,
        events: p.displayOptions?.show?.event,
      }));
    expect(filters).toEqual([
      {
        name: 'tags',
        label: 'Tags',
        multiple: true,
        events: ['contact.created', 'contact.updated'],
      },
      {
        name: 'stage',
        label: 'Stage',
        multiple: true,
        events: ['deal.created', 'deal.updated', 'deal.stage_changed'],
      },
      ...['staff', 'location'].map((name) => ({
        name,
        label: name === 'staff' ? 'Staff' : 'Location',
        multiple: true,
        events: ['appointment.created', 'appointment.updated', 'appointment.deleted'],
      })),
    ]);
    const tags = trigger.description.properties.find((p) => p.name === 'tags');
    expect(tags?.description).toBe(
      'Optional. Only trigger for contacts that have any of these tags (for example `lead`). Add each value as its own entry (a comma is part of the value); the trigger fires when any of them matches (case-insensitive). Leave empty to trigger on every record.',
    );
  });

  it("shows in n8n's editor as the ISAO Trigger, with the event as its subtitle", () => {
    expect(trigger.description).toEqual({
      ...trigger.description,
      displayName: 'ISAO Trigger',
      name: 'isaoTrigger',
      icon: { light: 'file:../../icons/isao.svg', dark: 'file:../../icons/isao.dark.svg' },
      group: ['trigger'],
      version: 1,
      subtitle: '={{$parameter["event"]}}',
      description: 'Starts the workflow when ISAO sends a contact, deal or appointment event',
      defaults: { name: 'ISAO Trigger' },
      inputs: [],
      outputs: ['main'],
      credentials: [{ name: 'isaoApi', required: true, testedBy: 'isaoApiTest' }],
    });
    const event = trigger.description.properties[0];
    expect([event?.displayName, event?.name, event?.type, event?.required]).toEqual([
      'Event',
      'event',
      'options',
      true,
    ]);
    expect(
      trigger.description.properties.slice(1).map((p) => [p.type, p.default, p.placeholder]),
    ).toEqual([
      ['string', [], 'Add Tags'],
      ['string', [], 'Add Stage'],
      ['string', [], 'Add Staff'],
      ['string', [], 'Add Location'],
    ]);
  });

  it('declares one POST webhook answered on receipt, and the ISAO API credential', () => {
    expect(trigger.description.webhooks).toEqual([
      { name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
    ]);
    expect(trigger.description.credentials).toEqual([
      { name: 'isaoApi', required: true, testedBy: 'isaoApiTest' },
    ]);
    expect(trigger.description.name).toBe('isaoTrigger');
  });
});
