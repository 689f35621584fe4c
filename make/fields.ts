/**
 * The core's output fields (core/entities.ts `OutputField`) as Make's interfaces and bundles:
 * `client__firstName` is `firstName` in the `client` collection, in the table's order.
 */
import type { OutputField } from '../core/entities';
import { isRecord } from '../core/inputs';
import { toJson } from './component';
import type { Json, JsonObject, MakeParam } from './iml';

const PARAM_TYPES: Readonly<Record<OutputField['type'], MakeParam['type']>> = {
  string: 'text',
  number: 'number',
  integer: 'integer',
  datetime: 'date',
};

/** One output field as a Make parameter: a list is an array of its type. */
const paramOf = (name: string, field: OutputField): MakeParam => {
  const type = PARAM_TYPES[field.type];
  return field.list
    ? { name, label: field.label, type: 'array', spec: { name: 'value', type } }
    : { name, label: field.label, type };
};

/** A tree of output fields: `client__firstName` is `firstName` in the `client` collection. */
type FieldTree = Map<string, OutputField | FieldTree>;

const treeOf = (fields: readonly OutputField[]): FieldTree => {
  const root: FieldTree = new Map();
  for (const field of fields) {
    const path = field.key.split('__');
    const leaf = path.pop() ?? field.key;
    let node = root;
    for (const part of path) {
      const next = node.get(part);
      const child: FieldTree =
        next instanceof Map ? next : new Map<string, OutputField | FieldTree>();
      node.set(part, child);
      node = child;
    }
    node.set(leaf, field);
  }
  return root;
};

/** Labels of the collections the core's keys imply (`client__…` → "Client"). */
const collectionLabel = (name: string): string =>
  // Stryker disable next-line Regex: a name never starts with a line break, the one character . skips
  name.replace(/^isao_event$/, 'ISAO Event').replace(/^./, (first) => first.toUpperCase());

/** Output fields as Make's interface: nested keys become collections, in the table's order. */
export const interfaceOf = (fields: readonly OutputField[]): MakeParam[] => {
  const params = (tree: FieldTree): MakeParam[] =>
    [...tree].map(([name, node]) =>
      node instanceof Map
        ? { name, label: collectionLabel(name), type: 'collection', spec: params(node) }
        : paramOf(name, node),
    );
  return params(treeOf(fields));
};

/** The same tree, each leaf given a value from its path (the IML that reads it, or a sample's). */
export const mapTree = (
  fields: readonly OutputField[],
  leaf: (path: string[]) => Json,
): JsonObject => {
  const walk = (tree: FieldTree, path: string[]): JsonObject =>
    Object.fromEntries(
      [...tree].map(([name, node]) => [
        name,
        node instanceof Map ? walk(node, [...path, name]) : leaf([...path, name]),
      ]),
    );
  return walk(treeOf(fields), []);
};

/** The value at a path of a record, null where it has none. */
export const at = (record: unknown, path: readonly string[]): Json =>
  toJson(
    path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), record) ?? null,
  );
