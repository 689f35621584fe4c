/**
 * Zapier's publishing checks (rules.ts) over the app as Zapier sees it (evidence.ts): the app must
 * pass every one, and each one must fire, with its id and the offending key, on a deliberately
 * broken copy. The definition is dist/'s: see evidence.ts for running jest without `npm test`.
 */
import type { Trigger } from 'zapier-platform-core';
import App from '../../src';
import {
  LIVE_PARTS,
  liveEvidence,
  operationOf,
  staticEvidence,
  type LiveApp,
  type LivePart,
  type Operation,
} from './evidence';
import {
  flatten,
  MINIMAL_RUN,
  type ActionDef,
  type Evidence,
  type FieldDef,
  type Rule,
} from './definition';
import { formatFailure, RULES } from './rules';
import { isIso8601, looksLikeDate, titleCase } from './values';

/*
 * The static evidence (definition, modules, halts: none of the app's operations run for it) is
 * read once per file. The live evidence (what the app's operations do: subscriptions, produced)
 * is gathered inside each test whose check reads it, never in a beforeAll: per-test coverage
 * (`npm run mutate`) then attributes the app code it runs to the tests that judge it, and a
 * mutant there is re-tested by those few tests instead of the whole suite.
 */
let staticPart: Promise<Evidence> | undefined;
const theStaticEvidence = (): Promise<Evidence> => (staticPart ??= staticEvidence());

/** The live parts a rule reads that `e` lacks: the rule runs once on a copy that records them. */
const livePartsRead = (rule: Rule, e: Evidence): LivePart[] => {
  const read = new Set<LivePart>();
  const probe: Evidence = { ...e };
  for (const part of LIVE_PARTS.filter((p) => !(p in e))) {
    Object.defineProperty(probe, part, {
      enumerable: true,
      get: () => {
        read.add(part);
        return {};
      },
    });
  }
  rule.run(probe);
  return [...read];
};

/** A rule's failures on `e`, once the live parts it reads and `e` lacks are gathered from src/. */
const runRule = async (rule: Rule, e: Evidence) => {
  const missing = livePartsRead(rule, e);
  const live = missing.length > 0 ? await liveEvidence(e.definition, App, missing) : {};
  return rule.run({ ...e, ...live });
};

describe('the app passes every check', () => {
  test.each(RULES.map((rule) => [rule.id, rule.description, rule] as const))(
    '%s: %s',
    async (_id, _description, rule) => {
      expect((await runRule(rule, await theStaticEvidence())).map(formatFailure)).toEqual([]);
    },
  );

  test('the checks saw every trigger and create, and ran them live', async () => {
    const { definition } = await theStaticEvidence();
    const { produced = {}, subscriptions = {} } = await liveEvidence(definition);
    const triggers = Object.keys(definition.triggers ?? {});
    expect(triggers.length).toBeGreaterThan(0);
    expect(definition.authentication?.fields?.length).toBeGreaterThan(0);
    expect(definition.authentication?.connectionLabel).toBeDefined();
    expect(Object.keys(definition.creates ?? {})).toEqual(Object.keys(App.creates));
    expect(Object.keys(subscriptions).sort()).toEqual(triggers.sort());
    for (const key of triggers) {
      expect(Object.keys(produced[`triggers.${key}`] ?? {})).toEqual([
        'perform',
        'performList',
        MINIMAL_RUN,
      ]);
    }
    for (const key of Object.keys(definition.creates ?? {})) {
      expect(produced[`creates.${key}`]?.perform).toEqual({ records: [expect.any(Object)] });
      expect(produced[`creates.${key}`]?.[MINIMAL_RUN]).toEqual({ records: [expect.any(Object)] });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Broken copies

type Json = Record<string, unknown>;
type Op = Operation;
const LIVE_TRIGGERS: Record<string, Trigger | undefined> = App.triggers;
/** One of the live app's trigger operations (the test fails if it has none of that name). */
const liveOp = (key: string, name: string): Op => {
  const op = operationOf(App, 'triggers', key, name);
  if (!op) throw new Error(`triggers.${key} has no ${name}`);
  return op;
};

const copy = async (): Promise<Evidence> => structuredClone(await theStaticEvidence());
const triggerKeys = (e: Evidence) => Object.keys(e.definition.triggers ?? {});
const trigger = (e: Evidence, index = 0): [string, ActionDef] => {
  const key = triggerKeys(e)[index]!;
  return [key, e.definition.triggers![key]!];
};
const sampleOf = (action: ActionDef) => action.operation.sample as Json;
const outputFields = (action: ActionDef) => action.operation.outputFields as FieldDef[];

/** Adds a create (so create checks are proven whether or not the app has creates yet). */
const addCreate = (e: Evidence, operation: ActionDef['operation']): string => {
  e.definition.creates = {
    ...e.definition.creates,
    broken_create: {
      key: 'broken_create',
      noun: 'Thing',
      display: { label: 'Create Thing', description: 'Creates a thing.' },
      operation,
    },
  };
  return 'creates.broken_create';
};

/** A copy of the live app with one trigger operation replaced. */
const withTriggerOperation = (key: string, name: string, make: (original: Op) => Op): LiveApp => {
  const original = LIVE_TRIGGERS[key]!;
  return {
    ...App,
    triggers: {
      ...App.triggers,
      [key]: { ...original, operation: { ...original.operation, [name]: make(liveOp(key, name)) } },
    },
  };
};

/** Sets (or, with undefined, removes) an auth field's help text; returns the field's key. */
const setAuthHelp = (
  e: Evidence,
  index: number,
  helpText: (label: string) => string | undefined,
) => {
  const field = e.definition.authentication!.fields![index] as FieldDef;
  field.helpText = helpText(field.label ?? '');
  if (field.helpText === undefined) delete field.helpText;
  return `authentication.fields.${field.key}`;
};

/** Each case breaks a copy and returns the key the check must name. */
type Breaker = (e: Evidence) => string | Promise<string>;

const BROKEN: [id: string, what: string, says: RegExp, breakIt: Breaker][] = [
  [
    'D002',
    'an auth field whose help text has no link',
    /must link, as a markdown/,
    (e) => setAuthHelp(e, 0, () => 'Find your API key on the API Details page in settings.'),
  ],
  [
    'D002',
    'an auth field linking over plain http',
    /must link, as a markdown/,
    (e) => setAuthHelp(e, 0, () => 'See [API details](http://example.com/api).'),
  ],
  [
    'D003',
    'no connection label',
    /must be set/,
    (e) => {
      delete e.definition.authentication!.connectionLabel;
      return 'authentication.connectionLabel';
    },
  ],
  [
    'D003',
    'a constant connection label',
    /"ISAO" is a constant/,
    (e) => {
      e.definition.authentication!.connectionLabel = 'ISAO';
      return 'authentication.connectionLabel';
    },
  ],
  [
    'D006',
    'a hook trigger without performList',
    /needs performList/,
    (e) => {
      const [key, action] = trigger(e);
      delete action.operation.performList;
      return `triggers.${key}`;
    },
  ],
  [
    'D010',
    'a trigger sample without id',
    /primary key "id"/,
    (e) => {
      const [key, action] = trigger(e, 1);
      delete sampleOf(action).id;
      return `triggers.${key}.sample.id`;
    },
  ],
  [
    'D010',
    'a trigger sample without the output field marked primary',
    /primary key "external_ref"/,
    (e) => {
      const [key, action] = trigger(e);
      action.operation.outputFields = [
        ...outputFields(action),
        { key: 'external_ref', label: 'External Reference', primary: true },
      ];
      return `triggers.${key}.sample.external_ref`;
    },
  ],
  [
    'D012',
    'a trigger without a sample',
    /static sample .* is required/,
    (e) => {
      const [key, action] = trigger(e, 2);
      action.operation.sample = {};
      return `triggers.${key}`;
    },
  ],
  [
    'D018',
    'a lower-case label',
    /must be title case: "[A-Z]/,
    (e) => {
      const [key, action] = trigger(e);
      action.display.label = action.display.label!.toLowerCase();
      return `triggers.${key}`;
    },
  ],
  [
    'D018',
    'a capitalised small word mid-label',
    /must be title case: "Canceled or Deleted Appointment"/,
    (e) => {
      const [key, action] = trigger(e);
      action.display.label = 'Canceled Or Deleted Appointment';
      return `triggers.${key}`;
    },
  ],
  [
    'D021',
    'a description that does not start "Triggers when "',
    /must start with "Triggers when ".*Triggers whenever/,
    (e) => {
      const [key, action] = trigger(e, 3);
      action.display.description = "Triggers whenever there's a new contact.";
      return `triggers.${key}`;
    },
  ],
  [
    'D021',
    'a description without the final "."',
    /and end with "\."/,
    (e) => {
      const [key, action] = trigger(e);
      action.display.description = action.display.description!.replace(/\.$/, '');
      return `triggers.${key}`;
    },
  ],
  [
    'D022',
    'a create with only dynamic input fields',
    /needs static input fields/,
    (e) => addCreate(e, { inputFields: ['$func$2$t$'], sample: { id: 1 } }),
  ],
  [
    'D023',
    'a datetime output field without a time zone',
    /"2023-08-01T06:50:30" is not an ISO-8601/,
    (e) => {
      const [key, action] = trigger(e);
      const field = outputFields(action).find(
        (f) => f.type === 'datetime' && !f.key.includes('__'),
      )!;
      sampleOf(action)[field.key] = '2023-08-01T06:50:30';
      return `triggers.${key}.sample.${field.key}`;
    },
  ],
  [
    'D023',
    'a date-looking value in a nested list',
    /"01 Aug 2023" is not an ISO-8601/,
    (e) => {
      const [key, action] = trigger(e);
      sampleOf(action).history = [{ note: 'moved', at: '01 Aug 2023' }];
      return `triggers.${key}.sample.history[0]__at`;
    },
  ],
  [
    'D024',
    'a required output field missing from the sample',
    /required output field "owner__email" is missing/,
    (e) => {
      const [key, action] = trigger(e);
      action.operation.outputFields = [
        ...outputFields(action),
        { key: 'owner__email', label: 'Owner Email', type: 'string', required: true },
      ];
      return `triggers.${key}.sample.owner__email`;
    },
  ],
  [
    'D024',
    'a sample value of the wrong type',
    /is of type integer, but the sample has a string/,
    (e) => {
      const [key, action] = trigger(e);
      action.operation.outputFields = [
        ...outputFields(action),
        { key: 'score', label: 'Score', type: 'integer' },
      ];
      sampleOf(action).score = '12';
      return `triggers.${key}.sample.score`;
    },
  ],
  [
    'D024',
    'a list output field with a single value in the sample',
    /is a list, but the sample has a string/,
    (e) => {
      const [key, action] = trigger(e);
      action.operation.outputFields = [
        ...outputFields(action),
        { key: 'labels', label: 'Labels', type: 'string', list: true },
      ];
      sampleOf(action).labels = 'vip';
      return `triggers.${key}.sample.labels`;
    },
  ],
  [
    'T004',
    'perform dropping a sample key',
    /sample keys missing from what perform produces: \w+/,
    async (e) => {
      const [key, action] = trigger(e);
      const dropped = Object.keys(sampleOf(action)).find((k) => k !== 'id')!;
      const app = withTriggerOperation(
        key,
        'perform',
        (original) => async (z, bundle) =>
          ((await original(z, bundle)) as Json[]).map((record) =>
            Object.fromEntries(Object.entries(record).filter(([k]) => k !== dropped)),
          ),
      );
      Object.assign(e, await liveEvidence(e.definition, app, ['produced']));
      return `triggers.${key}.perform`;
    },
  ],
  [
    'T004',
    'performList returning nothing for the sample',
    /performList produced no record/,
    async (e) => {
      const [key] = trigger(e, 1);
      const app = withTriggerOperation(key, 'performList', () => () => Promise.resolve([]));
      Object.assign(e, await liveEvidence(e.definition, app, ['produced']));
      return `triggers.${key}.performList`;
    },
  ],
  [
    'T004',
    'perform failing on the sample',
    /perform failed on its own sample: cannot read the sample/,
    async (e) => {
      const [key] = trigger(e, 2);
      const app = withTriggerOperation(
        key,
        'perform',
        () => () => Promise.reject(new Error('cannot read the sample')),
      );
      Object.assign(e, await liveEvidence(e.definition, app, ['produced']));
      return `triggers.${key}.perform`;
    },
  ],
  [
    'T004',
    'a create whose result lacks a sample key',
    /sample keys missing from what perform produces: name$/,
    async (e) => {
      const operation = {
        inputFields: [{ key: 'name', label: 'Name', helpText: 'The name of the thing.' }],
        sample: { id: 1, name: 'Thing' },
      };
      const where = addCreate(e, operation);
      const create = { ...e.definition.creates!.broken_create!, operation };
      const perform = () => Promise.resolve({ id: 1 });
      const app = {
        ...App,
        creates: {
          ...App.creates,
          broken_create: { ...create, operation: { ...operation, perform } },
        },
      };
      Object.assign(e, await liveEvidence(e.definition, app, ['produced']));
      return `${where}.perform`;
    },
  ],
  [
    'HELP',
    'a trigger input field without help text',
    /needs help text/,
    (e) => {
      const [key, action] = trigger(e);
      action.operation.inputFields = [{ key: 'region', label: 'Region', type: 'string' }];
      return `triggers.${key}.inputFields.region`;
    },
  ],
  [
    'HELP',
    'an auth field without help text',
    /needs help text/,
    (e) => setAuthHelp(e, 1, () => undefined),
  ],
  [
    'HELP',
    'a create input field without help text',
    /needs help text/,
    (e) =>
      addCreate(e, { inputFields: [{ key: 'name', label: 'Name' }], sample: { id: 1 } }) +
      '.inputFields.name',
  ],
  [
    'D011',
    'help text repeating the label',
    /only repeats the label/,
    (e) => setAuthHelp(e, 0, (label) => `${label.toLowerCase()}.`),
  ],
  [
    'UNIQUE',
    'two triggers with the same label',
    /has the same label as triggers\./,
    (e) => {
      const [, first] = trigger(e);
      const [key, second] = trigger(e, 1);
      second.display.label = first.display.label;
      return `triggers.${key}`;
    },
  ],
  [
    'UNIQUE',
    'a trigger declaring another key than its entry',
    /declares key "\w+" under the entry/,
    (e) => {
      const [key, action] = trigger(e, 1);
      action.key = triggerKeys(e)[0]!;
      return `triggers.${key}`;
    },
  ],
  [
    'NOUN',
    'a noun the label does not name',
    /noun "Invoice" does not appear in the label/,
    (e) => {
      const [key, action] = trigger(e);
      action.noun = 'Invoice';
      return `triggers.${key}`;
    },
  ],
  [
    'NOUN',
    'no noun',
    /a noun is required/,
    (e) => {
      const [key, action] = trigger(e);
      delete action.noun;
      return `triggers.${key}`;
    },
  ],
  [
    'EVENT',
    "a trigger subscribing with another trigger's event",
    /subscribes to "[a-z_.]+", as triggers\.\w+ already does/,
    async (e) => {
      const [first] = trigger(e);
      const [key] = trigger(e, 1);
      const app = withTriggerOperation(key, 'performSubscribe', () =>
        liveOp(first, 'performSubscribe'),
      );
      Object.assign(e, await liveEvidence(e.definition, app, ['subscriptions']));
      return `triggers.${key}`;
    },
  ],
  [
    'EVENT',
    'a trigger subscribing without an event',
    /performSubscribe sent no event/,
    async (e) => {
      const [key] = trigger(e, 2);
      const app = withTriggerOperation(key, 'performSubscribe', () => async (z, bundle) => {
        const response = await z.request({
          url: 'https://staging.isao.io/api/external/webhooks/subscribe',
          method: 'POST',
          body: { target_url: bundle.targetUrl },
        });
        return response.data as unknown;
      });
      Object.assign(e, await liveEvidence(e.definition, app, ['subscriptions']));
      return `triggers.${key}`;
    },
  ],
  [
    'MODULE',
    'a module declaring another file’s key',
    /src\/triggers\/\w+\.ts declares the key/,
    (e) => {
      const module = e.modules!.find((m) => m.type === 'triggers')!;
      module.key = triggerKeys(e).find((k) => k !== module.file)!;
      return `triggers.${module.key}`;
    },
  ],
  [
    'MODULE',
    'a module left out of the app',
    /is not registered in the app/,
    (e) => {
      const module = e.modules!.find((m) => m.type === 'triggers')!;
      e.definition.triggers = Object.fromEntries(
        Object.entries(e.definition.triggers!).filter(([k]) => k !== module.key),
      );
      return `triggers.${module.key}`;
    },
  ],
  [
    'LIVE',
    'a sample key that no live record delivers',
    /sample keys a minimal live record does not deliver: invented_field$/,
    (e) => {
      const [key, action] = trigger(e, 3);
      sampleOf(action).invented_field = 'shown in the editor, never delivered';
      return `triggers.${key}`;
    },
  ],
  [
    'LIVE',
    'perform failing on a minimal live record',
    /perform failed on a minimal record: needs a name/,
    async (e) => {
      const [key] = trigger(e, 4);
      const app = withTriggerOperation(key, 'perform', (original) => (z, bundle) => {
        const body = bundle.cleanedRequest as Json;
        if (!('name' in body) && !('title' in body) && !('startDateTime' in body)) {
          throw new Error('needs a name');
        }
        return original(z, bundle);
      });
      Object.assign(e, await liveEvidence(e.definition, app, ['produced']));
      return `triggers.${key}`;
    },
  ],
  [
    'WORDING',
    'a trigger description that repeats the app name',
    /repeats the app's name/,
    (e) => {
      const [key, action] = trigger(e);
      action.display.description = 'Triggers when a deal is won in ISAO.';
      return `triggers.${key}`;
    },
  ],
  [
    'WORDING',
    'a create description that does not start "Creates "',
    /must start with "Creates "/,
    (e) => {
      const where = addCreate(e, {
        inputFields: [{ key: 'name', label: 'Name', helpText: 'The name of the thing.' }],
        sample: { id: 1 },
      });
      e.definition.creates!.broken_create!.display.description = 'Adds a thing.';
      return where;
    },
  ],
  [
    'HALT',
    'a halt where none is listed',
    /1 HaltedError\(s\), 0 allowed/,
    (e) => {
      e.halts = { ...e.halts, 'src/creates/create_contact.ts': 1 };
      return 'src/creates/create_contact.ts';
    },
  ],
  [
    'HALT',
    'one halt more than listed',
    /2 HaltedError\(s\), 1 allowed/,
    (e) => {
      e.halts = { ...e.halts, 'src/lib/errors.ts': 2 };
      return 'src/lib/errors.ts';
    },
  ],
];

describe('each check fires on a broken copy, naming its id and the key', () => {
  test.each(BROKEN)('%s: %s', async (id, _what, says, breakIt) => {
    const broken = await copy();
    const key = await breakIt(broken);
    const failures = await runRule(
      RULES.find((r) => r.id === id)!,
      broken,
    );
    const named = failures.filter((f) => f.key === key);
    expect(named.map((f) => f.id)).toEqual([id]);
    expect(formatFailure(named[0]!).startsWith(`${id} ${key}: `)).toBe(true);
    expect(named[0]!.message).toMatch(says);
  });

  test('every check has a broken case', () => {
    expect([...new Set(BROKEN.map(([id]) => id))].sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});

describe('check helpers', () => {
  // Zapier's own D023 examples, and a few more
  test.each([
    ['2023-08-01', true],
    ['2023-08-01T06:50:30-0500', true],
    ['2023-09-15T09:59:59Z', true],
    ['2024-11-08T10:30:00.000+01:00', true],
    ['01 Aug 2023', false],
    ['01 Aug 2023 06:50:30', false],
    ['2023-08-01T06:50:30', false],
    ['2023-02-30', false],
    ['08/01/2023', false],
    ['Aug 1, 2023', false],
  ])('%s looks like a date; ISO-8601: %s', (value, iso) => {
    expect(looksLikeDate(value)).toBe(true);
    expect(isIso8601(value)).toBe(iso);
  });

  test.each(['+33987654321', 'contact_123', 'Marc Dupont', 'Enterprise plan – Tech Corp', '12000'])(
    '%s does not look like a date',
    (value) => {
      expect(looksLikeDate(value)).toBe(false);
    },
  );

  test.each([
    ['new contact', 'New Contact'],
    ['Deal Stage Changed', 'Deal Stage Changed'],
    ['canceled Or deleted appointment', 'Canceled or Deleted Appointment'],
    ['find contact by ID', 'Find Contact by ID'],
    ['follow-up created', 'Follow-Up Created'],
    ['sign in to', 'Sign in To'],
  ])('title case: %s → %s', (label, wanted) => {
    expect(titleCase(label)).toBe(wanted);
  });

  test('flatten: nested objects become a__b, lists stay whole', () => {
    expect(flatten({ id: 1, a: { b: 2, c: { d: [1, { e: 3 }] } }, empty: {} })).toEqual({
      id: 1,
      a__b: 2,
      a__c__d: [1, { e: 3 }],
      empty: {},
    });
  });
});
