/**
 * What every kind of record shares: the JSON a record is, the events a change causes, and one
 * kind's table of records (ids in creation order, the newest `limits.records` kept, none larger
 * than `limits.recordBytes` as JSON).
 */
import type { IsaoEvent } from '../../core/events';
import { ApiError } from '../api-error';
import type { SandboxLimits } from '../limits';

export type Json = Record<string, unknown>;

/** An ISAO event a change causes, with a snapshot of the record as it was at that moment. */
export interface Change {
  event: IsaoEvent;
  record: Json;
}

/** The event, with the record as it is now (later changes do not reach it). */
export const changeOf = (event: IsaoEvent, record: Json): Change => ({
  event,
  record: structuredClone(record),
});

/** What each kind's part of the store is given. */
export interface StoreContext {
  companyId: string;
  now: () => Date;
  limits: Pick<SandboxLimits, 'records' | 'recordBytes'>;
}

/**
 * One kind's records, by id: `<prefix>_1`, `<prefix>_2`… in creation order. `noun` names the kind
 * in errors ("Contact contact_9 not found").
 */
export const createTable = (
  prefix: string,
  noun: string,
  { companyId, now, limits }: StoreContext,
) => {
  const records = new Map<string, Json>();
  let created = 0;
  /** Throws 413 when the record, as it would be, is over the size limit. */
  const checkSize = (record: Json): void => {
    const bytes = Buffer.byteLength(JSON.stringify(record), 'utf8');
    if (bytes > limits.recordBytes) {
      throw new ApiError(
        413,
        `The ${noun.toLowerCase()} would be ${String(bytes)} bytes as JSON; the sandbox keeps records of at most ${String(limits.recordBytes)} bytes`,
      );
    }
  };
  return {
    records,
    /**
     * Keeps a new record: what `build` makes of its id (and the id's number), then the company and
     * the time. Forgets the oldest-created records beyond the limit.
     */
    create: (build: (id: string, n: number) => Json): Json => {
      created += 1;
      const at = now().toISOString();
      const record: Json = {
        ...build(`${prefix}_${String(created)}`, created),
        companyId,
        createdAt: at,
        updatedAt: at,
      };
      checkSize(record);
      records.set(String(record.id), record);
      for (const oldest of records.keys()) {
        if (records.size <= limits.records) break;
        records.delete(oldest);
      }
      return record;
    },
    find: (id: string): Json => {
      const record = records.get(id);
      if (!record) throw new ApiError(404, `${noun} ${id} not found`);
      return record;
    },
    /**
     * Applies the fields whose values differ from the record's (with what `also` adds for them),
     * unless that would make it too large. Returns their keys: none, nothing changed.
     */
    update: (record: Json, fields: Json, also: (changed: string[]) => Json = () => ({})) => {
      const changed = Object.keys(fields).filter(
        (key) => JSON.stringify(record[key]) !== JSON.stringify(fields[key]),
      );
      if (changed.length === 0) return changed;
      const changes = { ...also(changed), ...fields, updatedAt: now().toISOString() };
      checkSize({ ...record, ...changes });
      Object.assign(record, changes);
      return changed;
    },
  };
};
