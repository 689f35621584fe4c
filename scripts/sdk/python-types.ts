/**
 * The typed events of the Python package, from the core's event table (the same facts as
 * types.ts writes for TypeScript): for each record kind a TypedDict of the data ISAO sends
 * (`total=False`: every documented field may be absent) and of the record the core shapes (every
 * documented field present, None where ISAO sent none), nested objects as their own TypedDicts;
 * for each event a TypedDict of the event, a Literal of the names, and `TypedDispatch`, the
 * overloads that type `on("deal.won")`'s handler by the name. The file passes `mypy --strict`
 * (test/python/mypy.test.ts): several names are a list or a tuple, not any Sequence, since a str
 * is itself a Sequence of str and mypy would find every one-name overload overlapping them; the
 * implementation takes and gives `Callable[..., object]`, which each overload's types narrow.
 */
import { EVENT_NAMES, EVENTS, type IsaoEvent } from '../../core/events';
import type { Entity, OutputField } from '../../core/entities';

const pascal = (name: string): string =>
  name
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** The Python type of a field's value, a list's items read from the entity's sample. */
const valueType = (entity: Entity, field: OutputField): string => {
  if (field.key === 'id') return 'Union[str, int, float]';
  const scalar = field.type === 'number' || field.type === 'integer' ? 'float' : 'str';
  if (!field.list) return `Optional[${scalar}]`;
  const sample = entity.sample[field.key];
  return Array.isArray(sample) && typeof sample[0] === 'string'
    ? 'Optional[List[str]]'
    : 'Optional[List[object]]';
};

const docLine = (text: string): string => `    """${text}"""`;

/** The TypedDicts of one kind: nested objects first, then the data or record holding them. */
const kindClasses = (entity: Entity, data: boolean): string => {
  const suffix = data ? 'Data' : 'Record';
  const name = `${pascal(entity.kind)}${suffix}`;
  const total = data ? ', total=False' : '';
  const nested = new Map<string, OutputField[]>();
  const lines: string[] = [];
  for (const field of entity.outputFields) {
    const [top = '', inner] = field.key.split('__');
    if (inner === undefined) {
      lines.push(`    ${top}: ${valueType(entity, field)}  # ${field.label}`);
    } else if (nested.has(top)) {
      nested.get(top)?.push(field);
    } else {
      nested.set(top, [field]);
      const inside = `${pascal(entity.kind)}${pascal(top)}${suffix}`;
      lines.push(`    ${top}: ${data ? `Optional[${inside}]` : inside}`);
    }
  }
  const inner = [...nested].map(([top, fields]) => {
    const members = fields.map(
      (field) =>
        `    ${field.key.split('__')[1] ?? ''}: ${valueType(entity, field)}  # ${field.label}`,
    );
    return `class ${pascal(entity.kind)}${pascal(top)}${suffix}(TypedDict${total}):\n${docLine(`The ${entity.kind}'s ${top}, as ${data ? 'ISAO sends it' : 'the record holds it'}.`)}\n\n${members.join('\n')}\n`;
  });
  const custom =
    entity.kind === 'appointment' && !data
      ? '    custom_fields: Dict[str, object]  # each custom field, keyed from its own label\n'
      : '';
  const extra = data
    ? ''
    : `${custom}    isao_event: EventMeta  # the event's metadata\n    isao_event_key: str  # with id, what tells two records apart\n`;
  const about = data
    ? `A ${entity.kind} as ISAO sends it (an event's \`data\`): the documented fields; any other is there too.`
    : `A ${entity.kind} as the core shapes it into a record, the same as the Zapier and n8n records.`;
  return `${inner.join('\n\n')}${inner.length > 0 ? '\n\n' : ''}class ${name}(TypedDict${total}):\n${docLine(about)}\n\n${lines.join('\n')}\n${extra}`;
};

/** An event's TypedDict, in the functional form (one statement per event). */
const eventClass = (event: IsaoEvent): string => {
  const kind = pascal(EVENTS[event].entity.kind);
  return `${pascal(event)}Event = TypedDict(
    "${pascal(event)}Event",
    {"name": Literal[${JSON.stringify(event)}], "id": Optional[str], "occurred_at": Optional[str], "data": ${kind}Data, "record": ${kind}Record},
)
"""${EVENTS[event].label}: ${EVENTS[event].description}"""`;
};

/** The two overloads of `on` for one event: as a decorator, and given the handler. */
const overloads = (event: IsaoEvent): string => {
  const type = `${pascal(event)}Event`;
  const name = JSON.stringify(event);
  return `    @overload
    def on(self, event: Literal[${name}]) -> Callable[[Callable[[${type}], _R]], Callable[[${type}], _R]]: ...
    @overload
    def on(self, event: Literal[${name}], handler: Callable[[${type}], _R]) -> Callable[[${type}], _R]: ...`;
};

/** The source of python/isao_webhooks/events_generated.py. */
export const eventTypesPython = (): string => {
  const entities = [...new Set(EVENT_NAMES.map((event) => EVENTS[event].entity))];
  const names = EVENT_NAMES.map((event) => `    ${JSON.stringify(event)},`).join('\n');
  return `"""The data and record of every ISAO event, written by scripts/sdk/python-types.ts from the
core's event table (core/events.ts, core/entities.ts): do not edit, run \`npm run sdk:generate\`.

The TypedDicts name the documented fields; ISAO's \`data\` is passed on as sent, so any other field
is there too (read it with \`.get()\`)."""

from typing import (
    Callable,
    Dict,
    List,
    Literal,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    TypeVar,
    Union,
    overload,
)

IsaoEventName = Literal[
${names}
]
"""An event of ISAO's table."""


class EventMeta(TypedDict):
    """The metadata of the event that carried a record (None where unknown)."""

    type: str
    id: Optional[str]
    occurred_at: Optional[str]
    source: Optional[str]
    company_id: Optional[str]


${entities.map((entity) => `${kindClasses(entity, true)}\n\n${kindClasses(entity, false)}`).join('\n\n')}

${EVENT_NAMES.map(eventClass).join('\n')}

AnyIsaoEvent = Union[
${EVENT_NAMES.map((event) => `    ${pascal(event)}Event,`).join('\n')}
]
"""Any ISAO event: checking \`event["name"]\` narrows its \`data\` and \`record\`."""


class UnknownEvent(TypedDict):
    """An item naming no event of the table (another event, or a bare record): not typed."""

    name: Optional[str]
    id: Optional[str]
    occurred_at: Optional[str]
    data: Optional[Dict[str, object]]


IsaoEventNames = Union[List[IsaoEventName], Tuple[IsaoEventName, ...]]
"""Several events, as \`on\` takes them: a list or a tuple of names."""

_R = TypeVar("_R")
AnyHandler = Callable[[AnyIsaoEvent], object]
"""A handler of any event: what \`on_any\`, and \`on\` given several names, take."""


class TypedDispatch:
    """\`on(name)\`: the handler's event typed by the name (a decorator, or given the handler)."""

    def _checked(self, names: Tuple[str, ...]) -> Tuple[str, ...]:
        """The names, once known to be events (a ValueError names one that is not)."""
        raise NotImplementedError

    def _register(self, names: Tuple[str, ...], handler: AnyHandler) -> None:
        raise NotImplementedError

${EVENT_NAMES.map(overloads).join('\n')}
    @overload
    def on(self, event: IsaoEventNames) -> Callable[[Callable[[AnyIsaoEvent], _R]], Callable[[AnyIsaoEvent], _R]]: ...
    @overload
    def on(self, event: IsaoEventNames, handler: Callable[[AnyIsaoEvent], _R]) -> Callable[[AnyIsaoEvent], _R]: ...

    def on(
        self,
        event: Union[str, Sequence[str]],
        handler: Optional[Callable[..., object]] = None,
    ) -> Callable[..., object]:
        """Runs the handler for each event of this name (or these names)."""
        names = self._checked((event,) if isinstance(event, str) else tuple(event))

        def register(given: Callable[..., object]) -> Callable[..., object]:
            self._register(names, given)
            return given

        if handler is None:
            return register
        return register(handler)
`;
};
