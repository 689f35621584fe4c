/**
 * The sandbox's in-memory ISAO data: contacts, deals and appointments (ISAO's appointment object, with
 * custom `fields`), validated as the API validates them. Every change returns the ISAO events it
 * causes, with a snapshot of the record as it was at that moment.
 */
import { APPOINTMENT_STATUSES, CANCELED_STATUS, type IsaoEvent } from '../src/lib/events';
import { isRecord } from '../src/lib/inputs';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits';

export type Json = Record<string, unknown>;

/** One field the API rejected, as ISAO reports it: `{field, message}`. */
export interface FieldError {
  field: string;
  message: string;
}

/** An error answered as `{success:false, message, errors?}` with this status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Change {
  event: IsaoEvent;
  record: Json;
}

const isObject = isRecord;

/** Thrown by a field parser; the Checker turns it into a `{field, message}`. */
class Invalid extends Error {}
const invalid = (message: string): never => {
  throw new Invalid(message);
};

/** A trimmed string, undefined when blank. */
const textField =
  (field: string, max = 500) =>
  (value: unknown): string | undefined => {
    if (typeof value !== 'string') return invalid(`${field} must be a string`);
    const trimmed = value.trim();
    if (trimmed.length > max) invalid(`${field} is longer than ${String(max)} characters`);
    return trimmed || undefined;
  };

/** Validates a value that is present; undefined results count as absent. */
type Parser<T> = (value: unknown) => T | undefined;

/** Collects field errors; `check()` throws them together as one 422. */
class Checker {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly body: Json,
    /** A partial update: nothing is required. */
    private readonly partial: boolean,
  ) {}

  read<T>(field: string, parse: Parser<T>, required = false): T | undefined {
    const value = this.body[field];
    try {
      const parsed = value === undefined || value === null ? undefined : parse(value);
      if (parsed === undefined && required && !this.partial) invalid(`${field} is required`);
      return parsed;
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      this.errors.push({ field, message: error.message });
      return undefined;
    }
  }

  text(field: string, required = false, max = 500): string | undefined {
    return this.read(field, textField(field, max), required);
  }

  phone(field: string, required = false): string | undefined {
    return this.read(
      field,
      (value) => {
        const phone = textField(field, 40)(value);
        if (phone !== undefined && !/^\+?\d{6,15}$/.test(phone.replace(/[\s().-]/g, ''))) {
          invalid(
            `${field} must be a phone number: 6 to 15 digits, optionally starting with +; spaces, dots, dashes and parentheses are allowed`,
          );
        }
        return phone;
      },
      required,
    );
  }

  email(field: string): string | undefined {
    return this.read(field, (value) => {
      const email = textField(field, 254)(value);
      if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        invalid(`${field} must be a valid email address`);
      }
      return email;
    });
  }

  number(field: string, min: number, max = Infinity): number | undefined {
    return this.read(field, (value) => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        const range = Number.isFinite(max)
          ? `between ${String(min)} and ${String(max)}`
          : `of at least ${String(min)}`;
        invalid(`${field} must be a number ${range}`);
      }
      return value as number;
    });
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    return this.read(field, (value) => {
      const choice = textField(field)(value);
      if (choice !== undefined && !(allowed as readonly string[]).includes(choice)) {
        invalid(`${field} must be one of: ${allowed.join(', ')}`);
      }
      return choice as T | undefined;
    });
  }

  /** An ISO-8601 date-time, kept as the canonical ISO string (UTC). */
  dateTime(field: string, required = false): string | undefined {
    return this.read(
      field,
      (value) => {
        const raw = textField(field, 40)(value);
        if (raw === undefined) return undefined;
        const at = Date.parse(raw);
        if (!/T\d{2}:\d{2}/.test(raw) || Number.isNaN(at)) {
          invalid(`${field} must be an ISO-8601 date-time, e.g. 2024-11-12T13:00:00Z`);
        }
        return new Date(at).toISOString();
      },
      required,
    );
  }

  date(field: string): string | undefined {
    return this.read(field, (value) => {
      const date = textField(field, 10)(value);
      if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        invalid(`${field} must be a date like 2024-12-15`);
      }
      return date;
    });
  }

  /** A list of non-blank strings, trimmed and without duplicates. */
  tags(field: string): string[] | undefined {
    return this.read(field, (value) => {
      if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string')) {
        return invalid(`${field} must be an array of strings`);
      }
      return [...new Set(value.map((tag) => tag.trim()).filter(Boolean))];
    });
  }

  object(field: string, required = false): Json | undefined {
    return this.read(
      field,
      (value) => (isObject(value) ? value : invalid(`${field} must be an object`)),
      required,
    );
  }

  /** Appointment custom fields: `[{label, value, …}]`, every label a non-blank string. */
  customFields(field: string): Json[] | undefined {
    return this.read(field, (value) => {
      if (!Array.isArray(value)) return invalid(`${field} must be an array`);
      const labelled = value.filter(
        (item): item is Json =>
          isObject(item) && typeof item.label === 'string' && item.label.trim() !== '',
      );
      if (labelled.length !== value.length) invalid('every custom field needs a non-blank label');
      return labelled;
    });
  }

  check(): void {
    if (this.errors.length > 0) throw new ApiError(422, 'Validation failed', this.errors);
  }
}

/** Only the keys that were given. */
const given = (values: Json): Json =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

const splitName = (name: string): { firstName: string; lastName: string } => {
  const [first = '', ...rest] = name.split(/\s+/);
  return { firstName: first, lastName: rest.join(' ') };
};

const snapshot = (record: Json): Json => structuredClone(record);

const DEAL_STATUSES = ['open', 'won', 'lost'] as const;

export interface StoreOptions {
  companyId: string;
  now?: () => Date;
  /** How many records of each kind are kept, and how large one may be (see limits.ts). */
  limits?: Pick<SandboxLimits, 'records' | 'recordBytes'>;
}

/**
 * One company's records. Ids are `contact_1`, `deal_1`, `appt_1`… in creation order. Each kind
 * keeps its newest `limits.records`: creating one more forgets the oldest-created (its id then
 * answers 404). A create or update that would make a record larger than `limits.recordBytes` as
 * JSON answers 413 and changes nothing.
 */
export const createStore = ({
  companyId,
  now = () => new Date(),
  limits = DEFAULT_LIMITS,
}: StoreOptions) => {
  const contacts = new Map<string, Json>();
  const deals = new Map<string, Json>();
  const appointments = new Map<string, Json>();
  const counters = { contact: 0, deal: 0, appt: 0 };
  const nextId = (kind: keyof typeof counters): string => {
    counters[kind] += 1;
    return `${kind}_${String(counters[kind])}`;
  };
  /** Throws 413 when the record, as it would be, is over the size limit. */
  const checkSize = (noun: string, record: Json): void => {
    const bytes = Buffer.byteLength(JSON.stringify(record), 'utf8');
    if (bytes > limits.recordBytes) {
      throw new ApiError(
        413,
        `The ${noun.toLowerCase()} would be ${String(bytes)} bytes as JSON; the sandbox keeps records of at most ${String(limits.recordBytes)} bytes`,
      );
    }
  };
  /** Keeps a new record, forgetting the oldest-created ones beyond the limit. */
  const keep = (map: Map<string, Json>, noun: string, record: Json): void => {
    checkSize(noun, record);
    map.set(String(record.id), record);
    for (const oldest of map.keys()) {
      if (map.size <= limits.records) break;
      map.delete(oldest);
    }
  };
  /** Applies changes to a kept record, unless they would make it too large. */
  const apply = (noun: string, record: Json, changes: Json): void => {
    checkSize(noun, { ...record, ...changes });
    Object.assign(record, changes);
  };
  const find = (map: Map<string, Json>, noun: string, id: string): Json => {
    const record = map.get(id);
    if (!record) throw new ApiError(404, `${noun} ${id} not found`);
    return record;
  };

  const contactFields = (body: Json, partial: boolean): Json => {
    const c = new Checker(body, partial);
    const fields = given({
      name: c.text('name', true, 200),
      phoneNumber: c.phone('phoneNumber', true),
      email: c.email('email'),
      position: c.text('position'),
      currentCompany: c.text('currentCompany'),
      industrySector: c.text('industrySector'),
      city: c.text('city'),
      country: c.text('country'),
      tags: c.tags('tags'),
    });
    c.check();
    return fields;
  };

  const createContact = (body: Json): Change[] => {
    const fields = contactFields(body, false);
    const at = now().toISOString();
    const name = String(fields.name);
    const record: Json = {
      id: nextId('contact'),
      name,
      ...splitName(name),
      ...fields,
      tags: fields.tags ?? [],
      companyId,
      createdAt: at,
      updatedAt: at,
    };
    keep(contacts, 'Contact', record);
    return [{ event: 'contact.created', record: snapshot(record) }];
  };

  /** The fields whose values differ from the record's. */
  const changedKeys = (record: Json, fields: Json): string[] =>
    Object.keys(fields).filter(
      (key) => JSON.stringify(record[key]) !== JSON.stringify(fields[key]),
    );

  const updateContact = (id: string, body: Json): Change[] => {
    const record = find(contacts, 'Contact', id);
    const fields = contactFields(body, true);
    if (typeof fields.name === 'string') Object.assign(fields, splitName(fields.name));
    if (changedKeys(record, fields).length === 0) return [];
    apply('Contact', record, { ...fields, updatedAt: now().toISOString() });
    return [{ event: 'contact.updated', record: snapshot(record) }];
  };

  const dealFields = (body: Json, partial: boolean): Json => {
    const c = new Checker(body, partial);
    const fields = given({
      title: c.text('title', true, 200),
      value: c.number('value', 0),
      currency: c.text('currency', false, 3),
      stage: c.text('stage', false, 100),
      status: c.oneOf('status', DEAL_STATUSES),
      probability: c.number('probability', 0, 100),
      expectedCloseDate: c.date('expectedCloseDate'),
      contactId: c.text('contactId'),
      ownerName: c.text('ownerName'),
    });
    if (typeof fields.contactId === 'string' && !contacts.has(fields.contactId)) {
      c.errors.push({ field: 'contactId', message: `contact ${fields.contactId} does not exist` });
    }
    c.check();
    if (typeof fields.contactId === 'string') {
      fields.contactName = contacts.get(fields.contactId)?.name;
    }
    return fields;
  };

  /** The events a deal's status reaching won or lost adds. */
  const closing = (record: Json): Change[] =>
    record.status === 'won' || record.status === 'lost'
      ? [{ event: `deal.${record.status}`, record: snapshot(record) }]
      : [];

  const createDeal = (body: Json): Change[] => {
    const fields = dealFields(body, false);
    const at = now().toISOString();
    const record: Json = {
      id: nextId('deal'),
      value: 0,
      currency: 'EUR',
      stage: 'New',
      previousStage: null,
      status: 'open',
      ...fields,
      companyId,
      createdAt: at,
      updatedAt: at,
    };
    keep(deals, 'Deal', record);
    return [{ event: 'deal.created', record: snapshot(record) }, ...closing(record)];
  };

  /** Any change: deal.updated; a new stage: deal.stage_changed; newly won/lost: deal.won/lost. */
  const updateDeal = (id: string, body: Json): Change[] => {
    const record = find(deals, 'Deal', id);
    const fields = dealFields(body, true);
    const changed = changedKeys(record, fields);
    if (changed.length === 0) return [];
    const stageChanged = changed.includes('stage');
    const statusChanged = changed.includes('status');
    apply('Deal', record, {
      ...(stageChanged ? { previousStage: record.stage } : {}),
      ...fields,
      updatedAt: now().toISOString(),
    });
    return [
      { event: 'deal.updated', record: snapshot(record) },
      ...(stageChanged ? [{ event: 'deal.stage_changed' as const, record: snapshot(record) }] : []),
      ...(statusChanged ? closing(record) : []),
    ];
  };

  const appointmentFields = (body: Json, partial: boolean, current?: Json): Json => {
    const c = new Checker(body, partial);
    const fields = given({
      startDateTime: c.dateTime('startDateTime', true),
      endDateTime: c.dateTime('endDateTime'),
      timeZone: c.text('timeZone', false, 64),
      status: c.oneOf('status', APPOINTMENT_STATUSES),
      reason: c.object('reason'),
      client: c.object('client', true),
      staff: c.object('staff'),
      location: c.object('location'),
      fields: c.customFields('fields'),
    });
    const client = fields.client;
    if (isObject(client) && !['firstName', 'lastName', 'emailAddress'].some((k) => client[k])) {
      c.errors.push({
        field: 'client',
        message: 'client needs a firstName, lastName or emailAddress',
      });
    }
    const start = fields.startDateTime ?? current?.startDateTime;
    const end = fields.endDateTime ?? current?.endDateTime;
    if (
      typeof end === 'string' &&
      typeof start === 'string' &&
      Date.parse(end) <= Date.parse(start)
    ) {
      c.errors.push({ field: 'endDateTime', message: 'endDateTime must be after startDateTime' });
    }
    c.check();
    return fields;
  };

  const createAppointment = (body: Json): Change[] => {
    const fields = appointmentFields(body, false);
    const at = now().toISOString();
    const id = nextId('appt');
    const reason = isObject(fields.reason) ? fields.reason : {};
    const minutes = typeof reason.visitMinutes === 'number' ? reason.visitMinutes : 30;
    const start = String(fields.startDateTime);
    const record: Json = {
      id,
      calendarid: counters.appt,
      status: 'confirmed',
      endDateTime: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
      timeZone: 'UTC',
      fields: [],
      ...fields,
      companyId,
      createdAt: at,
      updatedAt: at,
    };
    keep(appointments, 'Appointment', record);
    return [{ event: 'appointment.created', record: snapshot(record) }];
  };

  /** Any change: appointment.updated; newly canceled: also appointment.deleted. */
  const updateAppointment = (id: string, body: Json): Change[] => {
    const record = find(appointments, 'Appointment', id);
    const fields = appointmentFields(body, true, record);
    const changed = changedKeys(record, fields);
    if (changed.length === 0) return [];
    apply('Appointment', record, { ...fields, updatedAt: now().toISOString() });
    const canceled = changed.includes('status') && record.status === CANCELED_STATUS;
    return [
      { event: 'appointment.updated', record: snapshot(record) },
      ...(canceled ? [{ event: 'appointment.deleted' as const, record: snapshot(record) }] : []),
    ];
  };

  const deleteAppointment = (id: string): Change[] => {
    const record = find(appointments, 'Appointment', id);
    appointments.delete(id);
    const at = now().toISOString();
    return [
      {
        event: 'appointment.deleted',
        // the trigger's sample and the status list agree: a deleted appointment is canceled
        record: { ...snapshot(record), status: CANCELED_STATUS, deletedAt: at, updatedAt: at },
      },
    ];
  };

  return {
    contacts,
    deals,
    appointments,
    createContact,
    updateContact,
    createDeal,
    updateDeal,
    createAppointment,
    updateAppointment,
    deleteAppointment,
  };
};

export type Store = ReturnType<typeof createStore>;
