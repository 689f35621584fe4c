/**
 * The typed events of @isao/webhooks, written from the core's event table: for each record kind
 * (core/entities.ts) the data ISAO sends (its documented output fields, optional) and the record
 * the core shapes (every documented field present, null where missing), and for each event
 * (core/events.ts) which of them it carries. `npm run sdk:generate` writes the result to
 * sdk/src/events.generated.ts; a test fails when the committed file is not what this writes.
 */
import { EVENT_NAMES, EVENTS } from '../../core/events';
import type { Entity, OutputField } from '../../core/entities';

const pascal = (kind: string): string => kind.charAt(0).toUpperCase() + kind.slice(1);

/** The TypeScript type of a field's value, a list's items read from the entity's sample. */
const valueType = (entity: Entity, field: OutputField): string => {
  if (field.key === 'id') return 'string | number';
  const scalar = field.type === 'number' || field.type === 'integer' ? 'number' : 'string';
  if (!field.list) return scalar;
  const sample = entity.sample[field.key];
  return Array.isArray(sample) && typeof sample[0] === 'string' ? 'string[]' : 'unknown[]';
};

/** A field line: `/** label *\/ key?: type | null;` (data) or `key: type | null;` (record). */
const line = (entity: Entity, field: OutputField, name: string, data: boolean): string => {
  const type = valueType(entity, field);
  const nullable = field.key === 'id' ? type : `${type} | null`;
  return `/** ${field.label}. */\n${name}${data ? '?' : ''}: ${nullable};`;
};

/** The declared fields of an entity as the members of an object type, nested keys nested. */
const members = (entity: Entity, data: boolean): string => {
  const nested = new Map<string, OutputField[]>();
  const lines: string[] = [];
  for (const field of entity.outputFields) {
    const [top = '', inner] = field.key.split('__');
    if (inner === undefined) {
      lines.push(line(entity, field, top, data));
    } else if (!nested.has(top)) {
      nested.set(top, [field]);
      lines.push(top);
    } else {
      nested.get(top)?.push(field);
    }
  }
  return lines
    .map((entry) => {
      const fields = nested.get(entry);
      if (fields === undefined) return entry;
      const inner = fields.map((field) =>
        line(entity, field, field.key.split('__')[1] ?? '', data),
      );
      const object = `{\n${inner.join('\n')}\n[field: string]: unknown }`;
      return data ? `${entry}?: ${object} | null;` : `${entry}: ${object};`;
    })
    .join('\n');
};

const entityTypes = (entity: Entity): string => {
  const name = pascal(entity.kind);
  const custom =
    entity.kind === 'appointment'
      ? '/** The custom fields, each keyed from its own label (README, "What Zap users get"). */\ncustom_fields: Record<string, unknown>;\n'
      : '';
  return `
/** ${name === 'Appointment' ? 'An' : 'A'} ${entity.kind} as ISAO sends it (an event's \`data\`): the documented fields, and any other. */
export interface ${name}Data {
${members(entity, true)}
[field: string]: unknown;
}

/** ${name === 'Appointment' ? 'An' : 'A'} ${entity.kind} as the core shapes it into a record, the same as the Zapier and n8n records. */
export interface ${name}Record {
${members(entity, false)}
${custom}/** The event's metadata. */
isao_event: EventMeta;
/** With \`id\`, what tells two records apart: the event id, or a digest of an event without one. */
isao_event_key: string;
[field: string]: unknown;
}`;
};

/** The source of sdk/src/events.generated.ts (prettier formats it). */
export const eventTypesSource = (): string => {
  const entities = [...new Set(EVENT_NAMES.map((event) => EVENTS[event].entity))];
  const rows = EVENT_NAMES.map((event) => {
    const name = pascal(EVENTS[event].entity.kind);
    return `'${event}': { data: ${name}Data; record: ${name}Record };`;
  });
  return `/**
 * The data and record of every ISAO event, written by scripts/sdk/types.ts from the core's event
 * table (core/events.ts, core/entities.ts): do not edit, run \`npm run sdk:generate\`.
 */
import type { EventMeta } from '../../core/records';
${entities.map(entityTypes).join('\n')}

/** Each ISAO event's data and record. */
export interface IsaoEventTypes {
${rows.join('\n')}
}
`;
};
