/** A broken copy for each of the project's own checks in rules-own.ts, with what the check must say. */
import { liveEvidence } from './evidence';
import {
  type Json,
  liveOp,
  triggerKeys,
  trigger,
  sampleOf,
  addCreate,
  withTriggerOperation,
  setAuthHelp,
  type BrokenCase,
} from './checks.setup';

export const OWN_RULES_BROKEN: BrokenCase[] = [
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
