/**
 * The sandbox's in-memory ISAO data: contacts, deals and appointments (ISAO's appointment object, with
 * custom `fields`), validated as the API validates them. Every change returns the ISAO events it
 * causes, with a snapshot of the record as it was at that moment. One file per kind of record;
 * records.ts holds what they share, checker.ts the field validation.
 */
import { DEFAULT_LIMITS, type SandboxLimits } from '../limits';
import { createAppointments } from './appointments';
import { createContacts } from './contacts';
import { createDeals } from './deals';

export type { Change, Json } from './records';

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
  const context = { companyId, now, limits };
  const contacts = createContacts(context);
  return {
    ...contacts,
    ...createDeals(context, contacts.contacts),
    ...createAppointments(context),
  };
};

export type Store = ReturnType<typeof createStore>;
