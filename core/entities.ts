/**
 * The three kinds of ISAO record our triggers and actions carry: realistic raw samples (as the
 * API sends them) and the output fields Zap users map. Triggers pick one kind and, where the event
 * implies it (a won deal), tweak the sample.
 */

/**
 * An output field as every platform's adapter describes it to users: the key in the record, its
 * label, its type; `list` for arrays, `primary` for the key that tells records apart. Zapier's
 * output fields take it as it is.
 */
export interface OutputField {
  key: string;
  label: string;
  type: 'string' | 'number' | 'integer' | 'datetime';
  required?: boolean;
  list?: boolean;
  primary?: boolean;
}

export type EntityKind = 'contact' | 'deal' | 'appointment';

/** A record as ISAO sends it (the `data` of an event, an item of /recent, a /sample). */
export type RawRecord = Record<string, unknown>;

export interface Entity {
  kind: EntityKind;
  /** A realistic record as the API sends it, before normalisation. */
  sample: RawRecord;
  outputFields: OutputField[];
}

/**
 * What every trigger record adds to its entity's fields (see records.ts): the event's metadata,
 * and the event key that, with `id`, is the record's primary key.
 */
export const EVENT_OUTPUT_FIELDS: OutputField[] = [
  { key: 'isao_event__type', label: 'Event Type', type: 'string' },
  { key: 'isao_event__id', label: 'Event ID', type: 'string' },
  { key: 'isao_event__occurred_at', label: 'Event Occurred At', type: 'datetime' },
  { key: 'isao_event__source', label: 'Event Source', type: 'string' },
  { key: 'isao_event__company_id', label: 'ISAO Account ID', type: 'string' },
  { key: 'isao_event_key', label: 'Event Key', type: 'string', primary: true },
];

const CONTACT_SAMPLE: RawRecord = {
  id: 'contact_123',
  name: 'Jane Smith',
  firstName: 'Jane',
  lastName: 'Smith',
  phoneNumber: '+33987654321',
  email: 'jane.smith@example.com',
  position: 'Head of Operations',
  currentCompany: 'Tech Corp',
  industrySector: 'Technology',
  city: 'Paris',
  country: 'France',
  tags: ['lead', 'enterprise'],
  companyId: 'cmb72clgt0003145mvfrg8iyh',
  createdAt: '2024-11-08T09:30:00.000Z',
  updatedAt: '2024-11-08T09:30:00.000Z',
};

export const contact: Entity = {
  kind: 'contact',
  sample: CONTACT_SAMPLE,
  outputFields: [
    { key: 'id', label: 'Contact ID', type: 'string', required: true },
    { key: 'name', label: 'Full Name', type: 'string' },
    { key: 'firstName', label: 'First Name', type: 'string' },
    { key: 'lastName', label: 'Last Name', type: 'string' },
    { key: 'email', label: 'Email', type: 'string' },
    { key: 'phoneNumber', label: 'Phone Number', type: 'string' },
    { key: 'position', label: 'Position', type: 'string' },
    { key: 'currentCompany', label: 'Company', type: 'string' },
    { key: 'industrySector', label: 'Industry Sector', type: 'string' },
    { key: 'city', label: 'City', type: 'string' },
    { key: 'country', label: 'Country', type: 'string' },
    { key: 'tags', label: 'Tags', type: 'string', list: true },
    { key: 'companyId', label: 'ISAO Account ID', type: 'string' },
    { key: 'createdAt', label: 'Created At', type: 'datetime' },
    { key: 'updatedAt', label: 'Updated At', type: 'datetime' },
  ],
};

export const deal: Entity = {
  kind: 'deal',
  sample: {
    id: 'deal_456',
    title: 'Enterprise plan – Tech Corp',
    value: 12000,
    currency: 'EUR',
    stage: 'Proposal',
    previousStage: 'Qualified',
    status: 'open',
    probability: 60,
    expectedCloseDate: '2024-12-15',
    contactId: 'contact_123',
    contactName: 'Jane Smith',
    ownerName: 'Marc Dupont',
    createdAt: '2024-11-02T08:00:00.000Z',
    updatedAt: '2024-11-08T10:30:00.000Z',
  },
  outputFields: [
    { key: 'id', label: 'Deal ID', type: 'string', required: true },
    { key: 'title', label: 'Deal Title', type: 'string' },
    { key: 'value', label: 'Deal Value', type: 'number' },
    { key: 'currency', label: 'Currency', type: 'string' },
    { key: 'stage', label: 'Stage', type: 'string' },
    { key: 'previousStage', label: 'Previous Stage', type: 'string' },
    { key: 'status', label: 'Status', type: 'string' },
    { key: 'probability', label: 'Probability (%)', type: 'number' },
    { key: 'expectedCloseDate', label: 'Expected Close Date', type: 'datetime' },
    { key: 'contactId', label: 'Contact ID', type: 'string' },
    { key: 'contactName', label: 'Contact Name', type: 'string' },
    { key: 'ownerName', label: 'Owner', type: 'string' },
    { key: 'createdAt', label: 'Created At', type: 'datetime' },
    { key: 'updatedAt', label: 'Updated At', type: 'datetime' },
  ],
};

/** ISAO's appointment object (reason, client, staff, location, custom `fields`), ISO times. */
export const appointment: Entity = {
  kind: 'appointment',
  sample: {
    id: 'appt_10390617',
    calendarid: 10390617,
    businessId: 20398,
    status: 'confirmed',
    startDateTime: '2024-11-12T13:00:00.000Z',
    endDateTime: '2024-11-12T13:45:00.000Z',
    timeZone: 'Europe/Paris',
    reason: { reasonId: 96439, reasonDesc: 'Initial consultation', visitMinutes: 45 },
    client: {
      clientId: 2530974,
      firstName: 'Jon',
      lastName: 'Snow',
      emailAddress: 'jon.snow@example.com',
      phoneNumber: '+33612345678',
      notes: 'Would like a reminder the day before.',
    },
    staff: { professionalId: 42441, fullName: 'Dr. Ana Jones', email: 'ana.jones@example.com' },
    location: { locationId: 29945, locationName: 'Paris Office', locationType: 'Office' },
    // custom fields differ per ISAO account: the editor labels them from a recent appointment
    fields: [],
    createdAt: '2024-11-08T10:30:00.000Z',
    updatedAt: '2024-11-08T10:30:00.000Z',
  },
  outputFields: [
    { key: 'id', label: 'Appointment ID', type: 'string', required: true },
    { key: 'calendarid', label: 'Calendar ID', type: 'integer' },
    { key: 'businessId', label: 'Business ID', type: 'integer' },
    { key: 'status', label: 'Status', type: 'string' },
    { key: 'startDateTime', label: 'Start', type: 'datetime' },
    { key: 'endDateTime', label: 'End', type: 'datetime' },
    { key: 'timeZone', label: 'Time Zone', type: 'string' },
    { key: 'reason__reasonId', label: 'Service ID', type: 'integer' },
    { key: 'reason__reasonDesc', label: 'Service', type: 'string' },
    { key: 'reason__visitMinutes', label: 'Duration (Minutes)', type: 'number' },
    { key: 'client__clientId', label: 'Client ID', type: 'integer' },
    { key: 'client__firstName', label: 'Client First Name', type: 'string' },
    { key: 'client__lastName', label: 'Client Last Name', type: 'string' },
    { key: 'client__emailAddress', label: 'Client Email', type: 'string' },
    { key: 'client__phoneNumber', label: 'Client Phone', type: 'string' },
    { key: 'client__notes', label: 'Client Notes', type: 'string' },
    { key: 'staff__professionalId', label: 'Staff ID', type: 'integer' },
    { key: 'staff__fullName', label: 'Staff Member', type: 'string' },
    { key: 'staff__email', label: 'Staff Email', type: 'string' },
    { key: 'location__locationId', label: 'Location ID', type: 'integer' },
    { key: 'location__locationName', label: 'Location', type: 'string' },
    { key: 'location__locationType', label: 'Location Type', type: 'string' },
    { key: 'fields', label: 'Custom Fields (as ISAO Sends Them)', type: 'string', list: true },
    { key: 'createdAt', label: 'Created At', type: 'datetime' },
    { key: 'updatedAt', label: 'Updated At', type: 'datetime' },
  ],
};
