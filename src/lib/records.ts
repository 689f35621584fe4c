/**
 * One output shape for every record a Zap sees, whether it came from a webhook (perform), from
 * the Zap editor's test (performList) or from an action: the entity's own fields at the top level
 * with its `id`, appointments' custom fields also as a flat `custom_fields` object, and the
 * event's metadata under `isao_event` (always the same keys, null where unknown).
 */
import { createHash } from 'node:crypto';
import { isRecord } from './api';
import type { EntityKind, RawRecord } from './entities';

export interface EventMeta {
  type: string;
  id: string | null;
  occurred_at: string | null;
  source: string | null;
  company_id: string | null;
}

export type ZapRecord = RawRecord & { id: string | number; isao_event: EventMeta };

const ID_KEYS: Record<EntityKind, readonly string[]> = {
  contact: ['id', 'contactId', 'contact_id'],
  deal: ['id', 'dealId', 'deal_id'],
  appointment: ['id', 'appointmentId', 'appointment_id', 'calendarid', 'calendarId'],
};

const asId = (value: unknown): string | number | undefined =>
  (typeof value === 'string' && value !== '') || typeof value === 'number' ? value : undefined;

/** A stable slug for a custom field label: "Preferred Contact Time?" → "preferred_contact_time". */
export const slug = (label: string): string =>
  label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** Appointments' `fields` array ({label, value, …}) as `{slug(label): value}`; first label wins. */
export const customFields = (fields: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(fields)) return out;
  fields.forEach((field: unknown, index) => {
    if (!isRecord(field)) return;
    const label = typeof field.label === 'string' ? slug(field.label) : '';
    let key = label || `field_${String(index + 1)}`;
    for (let n = 2; Object.hasOwn(out, key); n += 1) key = `${label || 'field'}_${String(n)}`;
    out[key] = field.value ?? field.extendedValue ?? null;
  });
  return out;
};

const fingerprint = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** The Zap-ready record for one ISAO entity and the event that carried it. */
export const toZapRecord = (
  kind: EntityKind,
  entity: RawRecord,
  meta: Partial<EventMeta> & { type: string },
): ZapRecord => {
  const id =
    ID_KEYS[kind].map((key) => asId(entity[key])).find((v) => v !== undefined) ??
    meta.id ??
    fingerprint(entity);
  const record: ZapRecord = {
    ...entity,
    id,
    isao_event: {
      type: meta.type,
      id: meta.id ?? null,
      occurred_at: meta.occurred_at ?? null,
      source: meta.source ?? null,
      company_id: meta.company_id ?? null,
    },
  };
  if (kind === 'appointment') record.custom_fields = customFields(entity.fields);
  return record;
};
