/**
 * What the Python package (python/isao_webhooks) takes from the core, written by
 * `npm run sdk:generate` so the two languages cannot drift: `_core_generated.py`, the core's
 * tables and character classes as Python data (the event table, samples, record keys, the
 * problems' statuses, and the characters the core trims, read by running the core's own `text()`
 * and `String.prototype.trim` over every code point), and `events_generated.py`, the typed events
 * (TypedDicts of each event's data and record, a Literal of the names, the typed `on()`).
 */
import { MAX_DEPTH, MAX_SIZE } from '../../core/bounds';
import { EVENT_OUTPUT_FIELDS } from '../../core/entities';
import { EVENT_NAMES, EVENTS, sampleOf } from '../../core/events';
import { QUOTE_MAX, text } from '../../core/inputs';
import { ID_KEYS, LABEL_KEYS_KEPT } from '../../core/records';
import {
  DEDUP_TTL_SECONDS,
  EPOCH_MS_FROM,
  EPOCH_US_FROM,
  SIGNATURE_HEADER,
} from '../../core/signatures';
import { EMPTY_BODY } from '../../core/webhook';
import { PROBLEMS, signatureWords } from '../../sdk/src/problems';
import { DEFAULT_DEADLINE_MS } from '../../sdk/src/receiver-options';
import { MEMORY_STORE_ENTRIES } from '../../sdk/src/store';
import { eventTypesPython } from './python-types';

/** A Python string literal: ASCII only, every other code point escaped. */
export const pyString = (value: string): string => {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
};

/** A JSON value as a Python literal. */
export const py = (value: unknown): string => {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `${pyString(key)}: ${py(item)}`).join(', ')}}`;
};

/** The code points (as inclusive ranges) for which `has` holds. */
const rangesOf = (has: (char: string) => boolean): [number, number][] => {
  const ranges: [number, number][] = [];
  for (let code = 0; code <= 0x10ffff; code += 1) {
    if (!has(String.fromCodePoint(code))) continue;
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === code - 1) last[1] = code;
    else ranges.push([code, code]);
  }
  return ranges;
};

const hex = (code: number): string => `0x${code.toString(16).toUpperCase()}`;
const rangesPy = (ranges: readonly [number, number][]): string =>
  `(\n${ranges.map(([from, to]) => `    (${hex(from)}, ${hex(to)}),`).join('\n')}\n)`;

/** A JSON array as a Python tuple literal. */
const pyTuple = (items: readonly unknown[]): string =>
  `(${items.map(py).join(', ')}${items.length === 1 ? ',' : ''})`;

/** One `NAME: type = value` line per constant, a tuple where the type says so (mypy holds it). */
const constants = (entries: readonly [string, string, unknown][]): string =>
  entries
    .map(([name, type, value]) => {
      const literal =
        type.startsWith('Tuple[') && Array.isArray(value) ? pyTuple(value) : py(value);
      return `${name}: Final[${type}] = ${literal}`;
    })
    .join('\n');

/** The source of python/isao_webhooks/_core_generated.py. */
export const coreTablesPython = (): string => {
  const kinds = [...new Set(EVENT_NAMES.map((event) => EVENTS[event].entity))];
  // the core's text() trims these at either end; JS's trim() and \s are the second set
  const invisible = rangesOf((char) => text(`a${char}`) === 'a');
  const space = rangesOf((char) => `a${char}`.trim() === 'a');
  return `"""The ISAO core's tables, written by scripts/sdk/python.ts from the core (core/events.ts,
core/entities.ts, core/records.ts, core/bounds.ts, core/signatures.ts, core/inputs.ts and the Node
package's problems): do not edit, run \`npm run sdk:generate\`."""

from typing import Dict, Final, List, Mapping, Tuple

${constants([
  ['SIGNATURE_HEADER', 'str', SIGNATURE_HEADER],
  ['DEDUP_TTL_SECONDS', 'int', DEDUP_TTL_SECONDS],
  ['EPOCH_MS_FROM', 'float', EPOCH_MS_FROM],
  ['EPOCH_US_FROM', 'float', EPOCH_US_FROM],
  ['MAX_DEPTH', 'int', MAX_DEPTH],
  ['MAX_SIZE', 'int', MAX_SIZE],
  ['QUOTE_MAX', 'int', QUOTE_MAX],
  ['LABEL_KEYS_KEPT', 'int', LABEL_KEYS_KEPT],
  ['DEFAULT_DEADLINE_MS', 'int', DEFAULT_DEADLINE_MS],
  ['MEMORY_STORE_ENTRIES', 'int', MEMORY_STORE_ENTRIES],
  ['EMPTY_BODY', 'str', EMPTY_BODY],
  ['MISSING_WORDS', 'str', signatureWords.missing],
  ['MALFORMED_WORDS', 'str', signatureWords.malformed],
  ['PROBLEMS', 'Mapping[str, int]', PROBLEMS],
  ['EVENT_NAMES', 'Tuple[str, ...]', EVENT_NAMES],
  [
    'ALIASES',
    'Mapping[str, str]',
    Object.fromEntries(
      EVENT_NAMES.flatMap((event) => EVENTS[event].aliases.map((alias) => [alias, event])),
    ),
  ],
  [
    'KIND_OF',
    'Mapping[str, str]',
    Object.fromEntries(EVENT_NAMES.map((event) => [event, EVENTS[event].entity.kind])),
  ],
  ['ID_KEYS', 'Mapping[str, List[str]]', ID_KEYS],
  [
    'OUTPUT_KEYS',
    'Mapping[str, List[str]]',
    Object.fromEntries(kinds.map((entity) => [entity.kind, entity.outputFields.map((f) => f.key)])),
  ],
  ['EVENT_OUTPUT_KEYS', 'List[str]', EVENT_OUTPUT_FIELDS.map((field) => field.key)],
  [
    'SAMPLES',
    'Mapping[str, Dict[str, object]]',
    Object.fromEntries(EVENT_NAMES.map((event) => [event, sampleOf(event)])),
  ],
])}

#: What the core's text() trims at either end (white space and invisible characters), as
#: inclusive code point ranges.
INVISIBLE: Final[Tuple[Tuple[int, int], ...]] = ${rangesPy(invisible)}

#: JavaScript's white space (String.prototype.trim, \\s), as inclusive code point ranges.
JS_SPACE: Final[Tuple[Tuple[int, int], ...]] = ${rangesPy(space)}
`;
};

/** Each generated Python file, relative to the repository, with its content. */
export const pythonSources = (): [path: string, source: string][] => [
  ['python/isao_webhooks/_core_generated.py', coreTablesPython()],
  ['python/isao_webhooks/events_generated.py', eventTypesPython()],
];
