/**
 * The one table of ISAO event facts: for every event the app knows, its name, the kind of record
 * it carries, the trigger that delivers it (key, noun, label, description), how its sample differs
 * from the entity's, the filters its trigger offers and the topic names that also mean it. The
 * triggers, the sandbox, `npm start`, the bench and the tests all read it, so they cannot drift.
 */
import { appointment, contact, deal, type Entity, type RawRecord } from './entities';
import { FILTERS, type TriggerFilter } from './filters';

export const EVENT_NAMES = [
  'contact.created',
  'contact.updated',
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
  'appointment.created',
  'appointment.updated',
  'appointment.deleted',
] as const;
export type IsaoEvent = (typeof EVENT_NAMES)[number];

export interface EventFacts {
  event: IsaoEvent;
  entity: Entity;
  /** The trigger's key (and its file name under src/triggers). */
  trigger: string;
  noun: string;
  label: string;
  description: string;
  /** What the event implies about its record's sample (a won deal has status "won"). */
  sample?: RawRecord;
  /** Optional filters the trigger offers (filters.ts). */
  filters: readonly TriggerFilter[];
  /** Other names senders use for this event: the topic envelope's `topic`. */
  aliases: readonly string[];
}

/** An appointment's statuses, as ISAO's records carry them. */
export const APPOINTMENT_STATUSES = [
  'confirmed',
  'pending',
  'completed',
  'canceled',
  'no_show',
] as const;

/** The status a record of a canceled or deleted appointment carries. */
export const CANCELED_STATUS = 'canceled' satisfies (typeof APPOINTMENT_STATUSES)[number];

const APPOINTMENT_FILTERS = [FILTERS.staff, FILTERS.location];

export const EVENTS: Readonly<Record<IsaoEvent, EventFacts>> = {
  'contact.created': {
    event: 'contact.created',
    entity: contact,
    trigger: 'new_contact',
    noun: 'Contact',
    label: 'New Contact',
    description: 'Triggers when a new contact is added.',
    filters: [FILTERS.tags],
    aliases: [],
  },
  'contact.updated': {
    event: 'contact.updated',
    entity: contact,
    trigger: 'contact_updated',
    noun: 'Contact',
    label: 'Updated Contact',
    description: "Triggers when a contact's details change.",
    sample: {
      name: 'Jane Smith-Martin',
      lastName: 'Smith-Martin',
      updatedAt: '2024-11-09T14:05:00.000Z',
    },
    filters: [FILTERS.tags],
    aliases: [],
  },
  'deal.created': {
    event: 'deal.created',
    entity: deal,
    trigger: 'new_deal',
    noun: 'Deal',
    label: 'New Deal',
    description: 'Triggers when a new deal is created.',
    sample: {
      stage: 'Qualified',
      previousStage: null,
      probability: 20,
      updatedAt: '2024-11-02T08:00:00.000Z',
    },
    filters: [FILTERS.stage],
    aliases: [],
  },
  'deal.updated': {
    event: 'deal.updated',
    entity: deal,
    trigger: 'deal_updated',
    noun: 'Deal',
    label: 'Updated Deal',
    description: "Triggers when a deal's details change.",
    filters: [FILTERS.stage],
    aliases: [],
  },
  'deal.stage_changed': {
    event: 'deal.stage_changed',
    entity: deal,
    trigger: 'deal_stage_changed',
    noun: 'Deal',
    label: 'Deal Stage Changed',
    description: 'Triggers when a deal moves to a new stage.',
    filters: [FILTERS.stage],
    aliases: [],
  },
  'deal.won': {
    event: 'deal.won',
    entity: deal,
    trigger: 'deal_won',
    noun: 'Deal',
    label: 'Deal Won',
    description: 'Triggers when a deal is marked as won.',
    sample: { stage: 'Closed Won', previousStage: 'Negotiation', status: 'won', probability: 100 },
    filters: [],
    aliases: [],
  },
  'deal.lost': {
    event: 'deal.lost',
    entity: deal,
    trigger: 'deal_lost',
    noun: 'Deal',
    label: 'Deal Lost',
    description: 'Triggers when a deal is marked as lost.',
    sample: { stage: 'Closed Lost', previousStage: 'Proposal', status: 'lost', probability: 0 },
    filters: [],
    aliases: [],
  },
  'appointment.created': {
    event: 'appointment.created',
    entity: appointment,
    trigger: 'appointment_created',
    noun: 'Appointment',
    label: 'New Appointment',
    description: 'Triggers when an appointment is booked.',
    filters: APPOINTMENT_FILTERS,
    aliases: ['appointment_create'],
  },
  'appointment.updated': {
    event: 'appointment.updated',
    entity: appointment,
    trigger: 'appointment_updated',
    noun: 'Appointment',
    label: 'Updated Appointment',
    description: 'Triggers when an appointment is changed or rescheduled.',
    sample: {
      startDateTime: '2024-11-13T09:00:00.000Z',
      endDateTime: '2024-11-13T09:45:00.000Z',
      updatedAt: '2024-11-09T16:20:00.000Z',
    },
    filters: APPOINTMENT_FILTERS,
    aliases: ['appointment_update'],
  },
  'appointment.deleted': {
    event: 'appointment.deleted',
    entity: appointment,
    trigger: 'appointment_deleted',
    noun: 'Appointment',
    label: 'Canceled or Deleted Appointment',
    description: 'Triggers when an appointment is canceled or deleted.',
    sample: { status: CANCELED_STATUS, updatedAt: '2024-11-10T08:15:00.000Z' },
    filters: APPOINTMENT_FILTERS,
    aliases: ['appointment_destroy'],
  },
};

export const isIsaoEvent = (value: unknown): value is IsaoEvent =>
  typeof value === 'string' && Object.hasOwn(EVENTS, value);

/** The event a name or a topic alias means (`appointment_create` → `appointment.created`). */
export const eventNamed = (name: string): IsaoEvent | undefined =>
  isIsaoEvent(name) ? name : EVENT_NAMES.find((event) => EVENTS[event].aliases.includes(name));

/** A raw record of the event as the API's `/triggers/:event/sample` gives it. */
export const sampleOf = (event: IsaoEvent): RawRecord => {
  const { entity, sample } = EVENTS[event];
  return { ...structuredClone(entity.sample), ...sample };
};
