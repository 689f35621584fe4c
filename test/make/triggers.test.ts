/**
 * The Make triggers as a user meets them: their labels and descriptions in the wording of Make's
 * naming guidance (developers.make.com/custom-apps-documentation/best-practices/naming-conventions:
 * module labels in sentence case, "Watch new [items]"; descriptions "Triggers when …"), and the
 * filters Zapier and n8n offer (core/filters.ts), as webhook parameters whose values attach sends
 * with the subscription, run through the IML evaluator (test/make/iml/) and compared with what
 * the core subscribes with for the same values (core/subscriptions.ts, core/filters.ts).
 */
import { EVENT_NAMES, EVENTS, type IsaoEvent } from '../../core/events';
import { deliveryOf } from '../../core/delivery';
import { filtersFrom } from '../../core/filters';
import { blankFilterMessage } from '../../core/subscriptions';
import { subscribeCall } from '../../core/subscriptions';
import { components } from './app-files';
import { forEvent, moduleNamed, paramsOf, section, WITH_BASE } from './app-code';
import { bundlesOf, requestOf } from './iml/runtime';

/** A trigger's label and description, from Make's guidance and the event they watch. */
test.each(EVENT_NAMES)(
  "%s: the trigger's label and description follow Make's guidance",
  (event) => {
    const { trigger, hook } = forEvent(event);
    const noun = EVENTS[event].noun.toLowerCase();
    const [, action = ''] = event.split('.');
    const { label } = trigger;
    expect(label).toMatch(new RegExp(`^Watch [a-z ]*${noun}s?[a-z ]*s$`));
    expect(trigger.description).toMatch(
      new RegExp(`^Triggers when an? (new )?${noun} [a-z ]+\\.$`),
    );
    if (action === 'created') {
      expect(label).toBe(`Watch new ${noun}s`);
      expect(trigger.description).toMatch(new RegExp(`^Triggers when a new ${noun} is `));
    } else if (action === 'updated') {
      expect(label).toBe(`Watch updated ${noun}s`);
      expect(trigger.description).toMatch(new RegExp(`^Triggers when an? ${noun} is updated`));
    } else {
      const word = action.split('_')[0] ?? action;
      expect(label).toContain(word);
      expect(trigger.description).toContain(word === 'stage' ? 'stage' : word);
    }
    expect(hook.label).toBe(label.replace(/^Watch (.)/, (_m, c: string) => c.toUpperCase()));
  },
);

test('every trigger has its own label', () => {
  const labels = EVENT_NAMES.map((event) => forEvent(event).trigger.label);
  expect(new Set(labels).size).toBe(EVENT_NAMES.length);
});

test('the action and the universal module follow it too; labels are in sentence case', () => {
  const create = moduleNamed('createContact');
  const universal = moduleNamed('makeApiCall');
  expect([create.label, create.description]).toEqual([
    'Create a contact',
    'Creates a new contact.',
  ]);
  expect([universal.label, universal.description]).toEqual([
    'Make an API call',
    'Performs an arbitrary authorized API call.',
  ]);
  for (const module of components('module'))
    expect(module.label.replace('API', 'api')).toMatch(/^[A-Z][a-z ]*$/);
});

const TARGET = 'https://hook.eu1.make.com/abc';

/** The body attach sends for the webhook's parameters (as Make gives them: lists of texts). */
const attached = (event: IsaoEvent, parameters: Record<string, unknown>) => {
  const { hook } = forEvent(event);
  const request = requestOf(WITH_BASE, section(hook, 'attach'), {
    parameters,
    connection: { apiKey: 'k' },
    webhook: { url: TARGET },
  });
  return JSON.parse(String(request.body)) as Record<string, unknown>;
};

/** What the core subscribes with for the same values. */
const coreBody = (event: IsaoEvent, parameters: Record<string, unknown>) =>
  JSON.parse(
    JSON.stringify(
      subscribeCall(event, TARGET, filtersFrom(EVENTS[event].filters, parameters)).body,
    ),
  ) as Record<string, unknown>;

describe.each(EVENT_NAMES)('%s', (event) => {
  const facts = EVENTS[event];

  test("its webhook's parameters are the trigger's filters, as lists of texts, with their help", () => {
    const params = paramsOf(forEvent(event).hook, 'params');
    expect(params.map((p) => [p.name, p.label, p.type, p.required])).toEqual(
      facts.filters.map((f) => [f.key, f.input.label, 'array', false]),
    );
    for (const param of params) {
      expect(param.spec).toMatchObject({ type: 'text' });
      expect(String(param.help)).toMatch(/^Optional\. Only trigger for .*case-insensitive/);
      expect(String(param.help)).not.toMatch(/per line|Zap/);
    }
  });

  const values = [
    ['lead'],
    ['Paris, 8e arrondissement', 'Jones, Ana'],
    ['  Lead ', 'lead', 'VIP', '', '   '],
    ['42441', 'ana.jones@example.com'],
  ];
  test.each(values.map((v) => [JSON.stringify(v), v]))(
    'filters %s are subscribed as the core subscribes them',
    (_shown, list) => {
      const parameters = Object.fromEntries(facts.filters.map((f) => [f.key, list]));
      expect(attached(event, parameters)).toEqual(coreBody(event, parameters));
    },
  );

  test('one filter set, the others left empty: only it is sent', () => {
    const [first, ...rest] = facts.filters;
    if (!first) return;
    const parameters = { [first.key]: ['x'], ...Object.fromEntries(rest.map((f) => [f.key, []])) };
    expect(attached(event, parameters)).toEqual(coreBody(event, parameters));
  });

  test('no filter set: the core sends no filters, Make an empty collection (ISAO reads both as none)', () => {
    const body = attached(event, {});
    const core = coreBody(event, {});
    expect(core).not.toHaveProperty('filters');
    expect(body).toEqual(facts.filters.length > 0 ? { ...core, filters: {} } : core);
  });
});

describe('what Make cannot do as the core does (docs/make.md)', () => {
  const event = 'contact.created';

  test('a filter of blanks only: the core refuses it, Make subscribes without it', () => {
    const parameters = { tags: ['  ', ''] };
    expect(blankFilterMessage(EVENTS[event], parameters)).toMatch(
      /^The Tags filter holds only blank values/,
    );
    expect(attached(event, parameters)).toEqual({ ...coreBody(event, {}), filters: {} });
  });

  test('a delivery the filters do not match: the core drops it, Make relies on ISAO not sending it', () => {
    const body = { event, data: { id: 'c1', tags: ['lead'] }, metadata: { eventId: 'e1' } };
    const filters = { tags: ['vip'] };
    const core = deliveryOf(
      EVENTS[event],
      { events: [body], unreadable: [] },
      { signed: false, now: 0, filters },
    );
    expect(core.records).toEqual([]);
    const { hook } = forEvent(event);
    expect(
      bundlesOf(section(hook, 'communication'), { body, headers: {} }, { parameters: filters }),
    ).toHaveLength(1);
  });
});
