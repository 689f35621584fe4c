/**
 * One output shape for every record a Zap sees, whether it came from a webhook (perform), from
 * the Zap editor's test (performList) or from an action: the entity's own fields at the top level
 * with its `id`, every declared output field present (null where the record lacks it, so a live
 * record has every key the editor showed), and appointments' custom fields also as a flat
 * `custom_fields` object. Trigger records add the event's metadata under `isao_event` (always the
 * same keys, null where unknown) and `isao_event_key`, which tells two events about one record apart.
 */
import { createHash } from 'node:crypto';
import { isRecord, text } from './inputs';
import type { Entity, EntityKind, RawRecord } from './entities';

export interface EventMeta {
  type: string;
  id: string | null;
  occurred_at: string | null;
  source: string | null;
  company_id: string | null;
}

export type EntityRecord = RawRecord & { id: string | number };
export type EventRecord = EntityRecord & { isao_event: EventMeta; isao_event_key: string };

/**
 * The key that, with `id`, identifies a trigger record (both are the triggers' primary output
 * fields). Zapier requires the primary key to be unique within one result, and two events about
 * the same contact (two `contact.updated`) share the `id` while both must reach the Zap.
 */
export const EVENT_KEY = 'isao_event_key';

/** Where each kind of record may carry its own id, in the order they are read (`idOf`). */
export const ID_KEYS: Readonly<Record<EntityKind, readonly string[]>> = {
  contact: ['id', 'contactId', 'contact_id'],
  deal: ['id', 'dealId', 'deal_id'],
  appointment: ['id', 'appointmentId', 'appointment_id', 'calendarid', 'calendarId'],
};

const asId = (value: unknown): string | number | undefined =>
  (typeof value === 'string' && value !== '') || typeof value === 'number' ? value : undefined;

/** A stable slug for a custom field label: "Preferred Contact Time" → "preferred_contact_time". */
export const slug = (label: string): string =>
  label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, ''); // the replace above leaves at most one _ at either end

/**
 * A label its slug names without loss: words of letters and digits (any case, accents allowed),
 * one space, hyphen or underscore between two words. Case, accents and the separator are not
 * part of a name ("Phone number", "phone-number"); any other character is ("Phone #", "Notes?",
 * "m²", "電話"), and the slug drops it.
 */
const PLAIN_LABEL = /^[a-z0-9]+(?:[ _-][a-z0-9]+)*$/;
const isPlain = (label: string): boolean =>
  PLAIN_LABEL.test(
    label
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase(),
  );

/** How many hex digits of the label's SHA-256 tell apart labels that share a slug. */
const DIGEST_LENGTH = 8;

/**
 * The key of a custom field's (trimmed) label, from the label alone: its slug when the label is
 * plain, else the slug (or `field`) and a digest of the exact label (NFC), so that "Phone" is
 * always `phone`, "Phone #" is `phone_<digest>` and never `phone`, and a label with no Latin
 * letter or digit gets its own key instead of a position.
 */
export const labelKey = (label: string): string => {
  if (isPlain(label)) return slug(label);
  const digest = createHash('sha256')
    .update(label.normalize('NFC'))
    .digest('hex')
    .slice(0, DIGEST_LENGTH);
  return `${slug(label) || 'field'}_${digest}`;
};

/** A label as the appointment carries it: trimmed (undefined when blank), and its key. */
interface KeyedLabel {
  label: string | undefined;
  key: string | undefined;
}

/**
 * A business's custom-field labels come back on every event, as the same strings: each is
 * trimmed and keyed once (trimming reads Unicode classes, and a 100-field appointment would pay
 * for it on every delivery).
 */
const LABEL_KEYS = new Map<string, KeyedLabel>();
/** A field whose label is not text: keyed by its definition id, if any. */
const NO_LABEL: KeyedLabel = { label: undefined, key: undefined };
export const LABEL_KEYS_KEPT = 2000;
const keyedOnce = (raw: string): KeyedLabel => {
  let known = LABEL_KEYS.get(raw);
  // Stryker disable next-line ConditionalExpression: a cache; keying a known label again gives the same key
  if (known === undefined) {
    const label = text(raw);
    known = { label, key: label === undefined ? undefined : labelKey(label) };
    if (LABEL_KEYS.size < LABEL_KEYS_KEPT) LABEL_KEYS.set(raw, known);
  }
  return known;
};

/** How many labels the key cache holds (it keeps at most LABEL_KEYS_KEPT): for tests. */
export const labelKeysCached = (): number => LABEL_KEYS.size;

/** Where a custom field may carry the id of its definition (the seeds' scheduling API). */
const DEFINITION_ID_KEYS = ['schedulerPreferenceFieldDefnId', 'fieldId', 'definitionId', 'id'];

/**
 * A custom field's key, from that field alone (never its position, never the other fields): its
 * label's key, else `field_<definition id>`, else none (the field is still in `fields`).
 */
const fieldKey = ({ key }: KeyedLabel, field: RawRecord): string | undefined => {
  if (key !== undefined) return key;
  const id = DEFINITION_ID_KEYS.map((name) => text(field[name])).find((v) => v !== undefined);
  return id === undefined ? undefined : `field_${slug(id)}`;
};

/**
 * A custom field's value as the appointment carries it: `0`, `false` and `''` are values and
 * are kept; a missing one (absent, or null: JSON's "no value") falls back to `extendedValue`,
 * then null.
 */
const valueOf = (field: RawRecord): unknown => field.value ?? field.extendedValue ?? null;

/**
 * Appointments' `fields` array ({label, value, …}) as `{key: value}`, keys from `customFieldKeys`.
 * Made in one go (Object.fromEntries): an object grown key by key past V8's fast-property limit
 * becomes a dictionary, which core's JSON.stringify of every result serialises at half speed.
 */
export const customFields = (fields: unknown): Record<string, unknown> =>
  Object.fromEntries(customFieldKeys(fields).map(({ key, field }) => [key, valueOf(field)]));

/**
 * Each custom field with its key (`fieldKey`). Two fields whose labels differ only in case,
 * accents or word separators share a key: the first keeps it, the next is left out (it is still
 * in `fields`). Zaps map these keys, so the rule must not change.
 */
export const customFieldKeys = (
  fields: unknown,
): { key: string; label: string | undefined; field: RawRecord }[] => {
  if (!Array.isArray(fields)) return [];
  const taken = new Set<string>();
  return fields.flatMap((field: unknown) => {
    if (!isRecord(field)) return [];
    const keyed = typeof field.label === 'string' ? keyedOnce(field.label) : NO_LABEL;
    const { label } = keyed;
    const key = fieldKey(keyed, field);
    if (key === undefined || taken.has(key)) return [];
    taken.add(key);
    return [{ key, label, field }];
  });
};

/** A short, stable digest of a value (an id for what has none). */
export const fingerprint = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** The entity's declared output keys (`client__firstName`) as paths, computed once per entity. */
const declaredPaths = new WeakMap<Entity, string[][]>();
const pathsOf = (entity: Entity): string[][] => {
  let paths = declaredPaths.get(entity);
  // Stryker disable next-line ConditionalExpression: a cache; computing the paths again gives the same paths
  if (!paths) {
    paths = entity.outputFields.map((field) => field.key.split('__'));
    // Stryker disable next-line CallExpression: the same cache, never filled: the paths are computed each time
    declaredPaths.set(entity, paths);
  }
  return paths;
};

/**
 * The record with every declared output key present: null where the record lacks it (nested
 * objects created or copied as needed; the input is never changed). A value of another type where
 * an object is declared (a `client` that is a string) is left as it is.
 */
const withDeclaredKeys = (entity: Entity, raw: RawRecord): RawRecord => {
  const record: RawRecord = { ...raw };
  // Stryker disable next-line ArrayDeclaration: own() is only given nested values, never the record itself
  const copies = new Set<RawRecord>([record]);
  const own = (value: RawRecord): RawRecord => {
    // Stryker disable next-line ConditionalExpression: copying a copy again gives an equal object, in the same place
    if (copies.has(value)) return value;
    const copy = { ...value };
    // Stryker disable next-line BlockStatement,CallExpression: copying a copy again changes nothing the caller sees
    copies.add(copy);
    return copy;
  };
  for (const path of pathsOf(entity)) {
    let node = record;
    for (const [i, part] of path.entries()) {
      const value = node[part];
      if (i === path.length - 1) {
        if (value === undefined) node[part] = null;
      } else if (value === undefined || value === null || isRecord(value)) {
        node = node[part] = own(isRecord(value) ? value : {});
      } else {
        break;
      }
    }
  }
  return record;
};

/** The record's own id: the first of its kind's id keys holding one; undefined when none does. */
export const idOf = (entity: Entity, raw: RawRecord): string | number | undefined => {
  for (const key of ID_KEYS[entity.kind]) {
    const id = asId(raw[key]);
    if (id !== undefined) return id;
  }
  return undefined;
};

/**
 * An entity as a Zap record without event metadata (what an action returns): its own id, else
 * the `fallbackId` its caller chose (only a webhook's record, which must reach the Zap, has one).
 */
export const toEntityRecord = (
  entity: Entity,
  raw: RawRecord,
  fallbackId: string | number,
): EntityRecord => {
  // set on the copy withDeclaredKeys made: an `id` the record has keeps its place, as in a spread
  const record: EntityRecord = Object.assign(withDeclaredKeys(entity, raw), {
    id: idOf(entity, raw) ?? fallbackId,
  });
  if (entity.kind === 'appointment') record.custom_fields = customFields(raw.fields);
  return record;
};

/**
 * Only the record's declared fields: what an action returns, so that its output fields list
 * exactly what it gives (a trigger keeps every field the event carried).
 */
export const declaredOnly = (entity: Entity, record: EntityRecord): EntityRecord => {
  const declared = new Set(pathsOf(entity).map(([top]) => top));
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => declared.has(key)),
  ) as EntityRecord;
};

/**
 * The trigger record (on every platform) for one ISAO entity and the event that carried it. A record
 * without its own id takes the event id, else a digest of the record: a webhook's event reaches
 * the Zap even then (its `isao_event_key` still tells events apart). Listed records are never
 * given one: performList skips a record without an id.
 */
export const toEventRecord = (
  entity: Entity,
  raw: RawRecord,
  meta: Partial<EventMeta> & { type: string },
  eventKey: string,
): EventRecord =>
  // set on the entity record's own copy, in this order: keys the record already has (an
  // `isao_event` of its own) keep their place, as in a spread
  Object.assign(toEntityRecord(entity, raw, meta.id ?? fingerprint(raw)), {
    isao_event: {
      type: meta.type,
      id: meta.id ?? null,
      occurred_at: meta.occurred_at ?? null,
      source: meta.source ?? null,
      company_id: meta.company_id ?? null,
    },
    [EVENT_KEY]: eventKey,
  });
