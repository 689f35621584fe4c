/** A broken copy for each of Zapier's checks in rules.ts (and WORDING), with what the check must say. */
import App from '../../src';
import { liveEvidence } from './evidence';
import {
  type Json,
  trigger,
  sampleOf,
  outputFields,
  addCreate,
  withTriggerOperation,
  setAuthHelp,
  type BrokenCase,
} from './checks.setup';

export const RULES_BROKEN: BrokenCase[] = [
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
];
