/**
 * The data and record of every ISAO event, written by scripts/sdk/types.ts from the core's event
 * table (core/events.ts, core/entities.ts): do not edit, run `npm run sdk:generate`.
 */
import type { EventMeta } from '../../core/records';

/** A contact as ISAO sends it (an event's `data`): the documented fields, and any other. */
export interface ContactData {
  /** Contact ID. */
  id?: string | number;
  /** Full Name. */
  name?: string | null;
  /** First Name. */
  firstName?: string | null;
  /** Last Name. */
  lastName?: string | null;
  /** Email. */
  email?: string | null;
  /** Phone Number. */
  phoneNumber?: string | null;
  /** Position. */
  position?: string | null;
  /** Company. */
  currentCompany?: string | null;
  /** Industry Sector. */
  industrySector?: string | null;
  /** City. */
  city?: string | null;
  /** Country. */
  country?: string | null;
  /** Tags. */
  tags?: string[] | null;
  /** ISAO Account ID. */
  companyId?: string | null;
  /** Created At. */
  createdAt?: string | null;
  /** Updated At. */
  updatedAt?: string | null;
  [field: string]: unknown;
}

/** A contact as the core shapes it into a record, the same as the Zapier and n8n records. */
export interface ContactRecord {
  /** Contact ID. */
  id: string | number;
  /** Full Name. */
  name: string | null;
  /** First Name. */
  firstName: string | null;
  /** Last Name. */
  lastName: string | null;
  /** Email. */
  email: string | null;
  /** Phone Number. */
  phoneNumber: string | null;
  /** Position. */
  position: string | null;
  /** Company. */
  currentCompany: string | null;
  /** Industry Sector. */
  industrySector: string | null;
  /** City. */
  city: string | null;
  /** Country. */
  country: string | null;
  /** Tags. */
  tags: string[] | null;
  /** ISAO Account ID. */
  companyId: string | null;
  /** Created At. */
  createdAt: string | null;
  /** Updated At. */
  updatedAt: string | null;
  /** The event's metadata. */
  isao_event: EventMeta;
  /** With `id`, what tells two records apart: the event id, or a digest of an event without one. */
  isao_event_key: string;
  [field: string]: unknown;
}

/** A deal as ISAO sends it (an event's `data`): the documented fields, and any other. */
export interface DealData {
  /** Deal ID. */
  id?: string | number;
  /** Deal Title. */
  title?: string | null;
  /** Deal Value. */
  value?: number | null;
  /** Currency. */
  currency?: string | null;
  /** Stage. */
  stage?: string | null;
  /** Previous Stage. */
  previousStage?: string | null;
  /** Status. */
  status?: string | null;
  /** Probability (%). */
  probability?: number | null;
  /** Expected Close Date. */
  expectedCloseDate?: string | null;
  /** Contact ID. */
  contactId?: string | null;
  /** Contact Name. */
  contactName?: string | null;
  /** Owner. */
  ownerName?: string | null;
  /** Created At. */
  createdAt?: string | null;
  /** Updated At. */
  updatedAt?: string | null;
  [field: string]: unknown;
}

/** A deal as the core shapes it into a record, the same as the Zapier and n8n records. */
export interface DealRecord {
  /** Deal ID. */
  id: string | number;
  /** Deal Title. */
  title: string | null;
  /** Deal Value. */
  value: number | null;
  /** Currency. */
  currency: string | null;
  /** Stage. */
  stage: string | null;
  /** Previous Stage. */
  previousStage: string | null;
  /** Status. */
  status: string | null;
  /** Probability (%). */
  probability: number | null;
  /** Expected Close Date. */
  expectedCloseDate: string | null;
  /** Contact ID. */
  contactId: string | null;
  /** Contact Name. */
  contactName: string | null;
  /** Owner. */
  ownerName: string | null;
  /** Created At. */
  createdAt: string | null;
  /** Updated At. */
  updatedAt: string | null;
  /** The event's metadata. */
  isao_event: EventMeta;
  /** With `id`, what tells two records apart: the event id, or a digest of an event without one. */
  isao_event_key: string;
  [field: string]: unknown;
}

/** An appointment as ISAO sends it (an event's `data`): the documented fields, and any other. */
export interface AppointmentData {
  /** Appointment ID. */
  id?: string | number;
  /** Calendar ID. */
  calendarid?: number | null;
  /** Business ID. */
  businessId?: number | null;
  /** Status. */
  status?: string | null;
  /** Start. */
  startDateTime?: string | null;
  /** End. */
  endDateTime?: string | null;
  /** Time Zone. */
  timeZone?: string | null;
  reason?: {
    /** Service ID. */
    reasonId?: number | null;
    /** Service. */
    reasonDesc?: string | null;
    /** Duration (Minutes). */
    visitMinutes?: number | null;
    [field: string]: unknown;
  } | null;
  client?: {
    /** Client ID. */
    clientId?: number | null;
    /** Client First Name. */
    firstName?: string | null;
    /** Client Last Name. */
    lastName?: string | null;
    /** Client Email. */
    emailAddress?: string | null;
    /** Client Phone. */
    phoneNumber?: string | null;
    /** Client Notes. */
    notes?: string | null;
    [field: string]: unknown;
  } | null;
  staff?: {
    /** Staff ID. */
    professionalId?: number | null;
    /** Staff Member. */
    fullName?: string | null;
    /** Staff Email. */
    email?: string | null;
    [field: string]: unknown;
  } | null;
  location?: {
    /** Location ID. */
    locationId?: number | null;
    /** Location. */
    locationName?: string | null;
    /** Location Type. */
    locationType?: string | null;
    [field: string]: unknown;
  } | null;
  /** Custom Fields (as ISAO Sends Them). */
  fields?: unknown[] | null;
  /** Created At. */
  createdAt?: string | null;
  /** Updated At. */
  updatedAt?: string | null;
  [field: string]: unknown;
}

/** An appointment as the core shapes it into a record, the same as the Zapier and n8n records. */
export interface AppointmentRecord {
  /** Appointment ID. */
  id: string | number;
  /** Calendar ID. */
  calendarid: number | null;
  /** Business ID. */
  businessId: number | null;
  /** Status. */
  status: string | null;
  /** Start. */
  startDateTime: string | null;
  /** End. */
  endDateTime: string | null;
  /** Time Zone. */
  timeZone: string | null;
  reason: {
    /** Service ID. */
    reasonId: number | null;
    /** Service. */
    reasonDesc: string | null;
    /** Duration (Minutes). */
    visitMinutes: number | null;
    [field: string]: unknown;
  };
  client: {
    /** Client ID. */
    clientId: number | null;
    /** Client First Name. */
    firstName: string | null;
    /** Client Last Name. */
    lastName: string | null;
    /** Client Email. */
    emailAddress: string | null;
    /** Client Phone. */
    phoneNumber: string | null;
    /** Client Notes. */
    notes: string | null;
    [field: string]: unknown;
  };
  staff: {
    /** Staff ID. */
    professionalId: number | null;
    /** Staff Member. */
    fullName: string | null;
    /** Staff Email. */
    email: string | null;
    [field: string]: unknown;
  };
  location: {
    /** Location ID. */
    locationId: number | null;
    /** Location. */
    locationName: string | null;
    /** Location Type. */
    locationType: string | null;
    [field: string]: unknown;
  };
  /** Custom Fields (as ISAO Sends Them). */
  fields: unknown[] | null;
  /** Created At. */
  createdAt: string | null;
  /** Updated At. */
  updatedAt: string | null;
  /** The custom fields, each keyed from its own label (README, "What Zap users get"). */
  custom_fields: Record<string, unknown>;
  /** The event's metadata. */
  isao_event: EventMeta;
  /** With `id`, what tells two records apart: the event id, or a digest of an event without one. */
  isao_event_key: string;
  [field: string]: unknown;
}

/** Each ISAO event's data and record. */
export interface IsaoEventTypes {
  'contact.created': { data: ContactData; record: ContactRecord };
  'contact.updated': { data: ContactData; record: ContactRecord };
  'deal.created': { data: DealData; record: DealRecord };
  'deal.updated': { data: DealData; record: DealRecord };
  'deal.stage_changed': { data: DealData; record: DealRecord };
  'deal.won': { data: DealData; record: DealRecord };
  'deal.lost': { data: DealData; record: DealRecord };
  'appointment.created': { data: AppointmentData; record: AppointmentRecord };
  'appointment.updated': { data: AppointmentData; record: AppointmentRecord };
  'appointment.deleted': { data: AppointmentData; record: AppointmentRecord };
}
