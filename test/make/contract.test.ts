/**
 * Contract tests of the generated Make app (make/app/), written from Make's documentation of
 * custom apps: nothing here can run on Make, so these check that what Make will evaluate is
 * consistent with itself and with the core it was generated from.
 */
import { CONTACT_INPUTS, contactBody } from '../../core/contacts';
import { outputFieldsFor } from '../../core/delivery';
import { contact } from '../../core/entities';
import { EVENT_NAMES, EVENTS } from '../../core/events';
import { expressionsIn, type Json } from '../../make/iml';
import { filesIn, APP_DIR } from '../../make/generate';
import { toJson } from '../../make/app';
import type { DeployComponent } from '../../make/manifest';
import {
  code,
  components,
  keyTree,
  list,
  manifest,
  missingFrom,
  names,
  paramTree,
  readJson,
  record,
} from './app-files';

const webhooks = components('webhook');
const modules = components('module');
const [connection] = components('connection');
const byModuleType = (type: string) => modules.filter((m) => m.moduleType === type);
const triggers = byModuleType('instant_trigger');

/** The event a webhook subscribes to: its attach call's `event`. */
const eventOf = (hook: DeployComponent): unknown =>
  record(record(code(hook, 'attach'), `${hook.id} attach`).body, `${hook.id} attach body`).event;

test('the app has one connection, ISAO, of the basic (API key) kind', () => {
  expect(components('connection').map((c) => [c.id, c.label, c.connectionType])).toEqual([
    ['isao', 'ISAO', 'basic'],
  ]);
});

describe('events, webhooks and instant triggers, one to one', () => {
  test('each event of the table has exactly one webhook subscribing to it, and no webhook another', () => {
    expect(webhooks.map(eventOf).sort()).toEqual([...EVENT_NAMES].sort());
  });

  test.each(EVENT_NAMES)('%s: exactly one instant trigger listens on its webhook', (event) => {
    const hook = webhooks.find((h) => eventOf(h) === event);
    const listening = triggers.filter((t) => t.webhook === hook?.id);
    expect(listening).toHaveLength(1);
    expect(listening[0]?.label).toMatch(/^Watch /);
  });

  test('every instant trigger names a webhook of the app, and every webhook and module the connection', () => {
    expect(triggers).toHaveLength(EVENT_NAMES.length);
    for (const trigger of triggers) expect(webhooks.map((h) => h.id)).toContain(trigger.webhook);
    for (const component of [...webhooks, ...modules])
      expect(component.connection).toBe(connection?.id);
  });
});

describe('samples and bundles match the interfaces', () => {
  test.each(modules.filter((m) => m.codeFiles.samples).map((m) => [m.id, m] as const))(
    '%s: every key of its sample is in its interface',
    (id, module) => {
      const sample = keyTree(code(module, 'samples'), `${id} samples`);
      expect(missingFrom(sample, paramTree(code(module, 'interface'), `${id} interface`))).toEqual(
        [],
      );
    },
  );

  test.each(triggers.map((t) => [t.id, t] as const))(
    '%s: the bundle its webhook outputs has exactly the keys of its interface',
    (id, trigger) => {
      const hook = webhooks.find((h) => h.id === trigger.webhook);
      if (!hook) throw new Error(`${id} has no webhook`);
      const output = keyTree(
        record(code(hook, 'communication'), `${hook.id} communication`).output,
        'output',
      );
      const declared = paramTree(code(trigger, 'interface'), `${id} interface`);
      expect(missingFrom(output, declared)).toEqual([]);
      expect(missingFrom(declared, output)).toEqual([]);
    },
  );

  test.each(EVENT_NAMES)(
    "%s: the trigger declares the Zapier trigger's output fields, and eventId at the top",
    (event) => {
      const hook = webhooks.find((h) => eventOf(h) === event);
      const trigger = triggers.find((t) => t.webhook === hook?.id);
      if (!trigger) throw new Error(`no trigger for ${event}`);
      const tree = paramTree(code(trigger, 'interface'), 'interface');
      const paths = outputFieldsFor(EVENTS[event]).map((field) => field.key.replaceAll('__', '.'));
      const flat = (t: typeof tree, prefix = ''): string[] =>
        Object.entries(t).flatMap(([k, inner]) =>
          inner ? flat(inner, `${prefix}${k}.`) : [`${prefix}${k}`],
        );
      expect(flat(tree)).toEqual([...paths, 'eventId', 'signature']);
    },
  );

  test("Create a Contact declares the same output fields as Zapier's Create Contact", () => {
    const create = modules.find((m) => m.id === 'createContact');
    if (!create) throw new Error('no createContact');
    expect(names(code(create, 'interface'), 'interface')).toEqual(
      contact.outputFields.map((f) => f.key),
    );
  });
});

/** Every `ns.name` an IML expression reads, for ns in parameters, connection, webhook. */
const references = (value: unknown, ns: string): string[] =>
  expressionsIn(toJson(value)).flatMap((expression) =>
    [...expression.matchAll(new RegExp(`\\b${ns}\\.([A-Za-z_]\\w*)`, 'g'))].map((m) => m[1] ?? ''),
  );

const connectionParams = connection ? names(code(connection, 'params'), 'connection params') : [];
const attachData = (hook: DeployComponent): string[] =>
  Object.keys(
    record(record(code(hook, 'attach'), 'attach').response, 'attach response').data ?? {},
  );

describe('every IML reference names something that exists', () => {
  test('the connection test reads only its own parameters; the base only the connection', () => {
    if (!connection) throw new Error('no connection');
    expect(connectionParams).toEqual(['apiKey']);
    expect(references(code(connection, 'communication'), 'parameters')).toEqual(['apiKey']);
    const base = readJson(manifest.general.base);
    expect(references(base, 'connection')).toEqual(['apiKey']);
    expect(references(base, 'parameters')).toEqual([]);
    expect(references(base, 'webhook')).toEqual([]);
  });

  test.each(webhooks.map((h) => [h.id, h] as const))(
    '%s: attach reads only the hook URL; detach only what attach saved',
    (_id, hook) => {
      expect(references(code(hook, 'attach'), 'webhook')).toEqual(['url']);
      const saved = attachData(hook);
      expect(saved).toEqual(['subscriptionId']);
      const read = references(code(hook, 'detach'), 'webhook');
      expect(read.length).toBeGreaterThan(0);
      for (const name of read) expect(saved).toContain(name);
      const params = names(code(hook, 'params'), 'params');
      for (const section of ['communication', 'attach', 'detach']) {
        for (const name of references(code(hook, section), 'parameters'))
          expect(params).toContain(name);
        for (const name of references(code(hook, section), 'connection'))
          expect(connectionParams).toContain(name);
      }
    },
  );

  test.each(modules.map((m) => [m.id, m] as const))(
    '%s: reads only its own parameters',
    (id, module) => {
      const params = [
        ...names(code(module, 'staticParams') ?? [], `${id} static`),
        ...names(code(module, 'mappableParams') ?? [], `${id} mappable`),
      ];
      const hook = webhooks.find((h) => h.id === module.webhook);
      for (const section of Object.keys(module.codeFiles)) {
        for (const name of references(code(module, section), 'parameters'))
          expect(params).toContain(name);
        for (const name of references(code(module, section), 'connection'))
          expect(connectionParams).toContain(name);
        for (const name of references(code(module, section), 'webhook')) {
          expect(hook ? attachData(hook) : []).toContain(name);
        }
      }
    },
  );

  test('the reference check sees a reference to something missing', () => {
    expect(
      references({ url: '{{parameters.nope}}', body: ['{{connection.apiKey}}'] }, 'parameters'),
    ).toEqual(['nope']);
  });
});

test("the module groups list every module once, and only the app's modules", () => {
  const grouped = list(readJson(manifest.general.groups), 'groups').flatMap((group) =>
    list(record(group, 'group').modules, 'modules'),
  );
  expect([...grouped].sort()).toEqual(modules.map((m) => m.id).sort());
});

describe('URLs', () => {
  const url = (component: DeployComponent, section = 'communication'): unknown =>
    record(code(component, section), `${component.id} ${section}`).url;

  test("the connection's URL is absolute (a connection does not inherit the base); the base's too", () => {
    if (!connection) throw new Error('no connection');
    expect(url(connection)).toBe('https://staging.isao.io/api/external/test');
    expect(record(readJson(manifest.general.base), 'base').baseUrl).toBe(
      'https://staging.isao.io/api/external',
    );
  });

  test('every other call is relative to the base, so it carries the connection and its error handling', () => {
    const relative = [
      ...webhooks.flatMap((h) => [url(h, 'attach'), url(h, 'detach')]),
      ...modules.filter((m) => m.codeFiles.communication).map((m) => url(m)),
    ];
    expect(relative.length).toBeGreaterThan(EVENT_NAMES.length * 2);
    for (const value of relative) expect(String(value)).toMatch(/^(\/|\{\{parameters\.url\}\}$)/);
  });

  test("there is one universal module; its URL is the user's path, which must be relative", () => {
    const universal = byModuleType('universal');
    expect(universal.map((m) => m.id)).toEqual(['makeApiCall']);
    const [module] = universal;
    if (!module) throw new Error('no universal module');
    expect(url(module)).toBe('{{parameters.url}}');
    const urlParam = list(code(module, 'mappableParams'), 'params')
      .map((p) => record(p, 'param'))
      .find((p) => p.name === 'url');
    const pattern = new RegExp(String(record(urlParam?.validate, 'validate').pattern));
    expect(['/', '/contacts', '/webhooks?limit=5'].filter((v) => !pattern.test(v))).toEqual([]);
    expect(
      ['https://attacker.example/x', '//attacker.example/x', 'contacts', ''].filter((v) =>
        pattern.test(v),
      ),
    ).toEqual([]);
  });
});

describe('Create a Contact follows the core rules as far as Make checks them', () => {
  const create = modules.find((m) => m.id === 'createContact');
  const params = create
    ? list(code(create, 'mappableParams'), 'params').map((p) => record(p, 'param'))
    : [];

  test("its inputs are the core's, required where the core requires them, Tags a list", () => {
    expect(params.map((p) => [p.name, p.required, p.type])).toEqual(
      CONTACT_INPUTS.map((input) => [
        input.key,
        input.required,
        'list' in input ? 'array' : 'text',
      ]),
    );
  });

  test("Make's phone pattern accepts and refuses what the core does", () => {
    const phone = params.find((p) => p.name === 'phoneNumber');
    const pattern = new RegExp(String(record(phone?.validate, 'validate').pattern));
    const cases = [
      '+33 1 23 45 67 89',
      '+44 (0) 20 7946 0958',
      '0612345678',
      '06.12.34.56.78',
      '12345',
      'call me',
      '+33 1 23 45 67 89 12 34 56 78',
      '++33123456',
    ];
    const core = (value: string) => 'body' in contactBody({ name: 'Jane', phoneNumber: value });
    expect(cases.map((value) => [value, pattern.test(value)])).toEqual(
      cases.map((value) => [value, core(value)]),
    );
  });
});

describe('no secret in any file', () => {
  const files = filesIn(APP_DIR);

  test('the key is only ever an IML reference, sent as a Bearer header and sanitised from logs', () => {
    const texts = [...files.values()].join('\n');
    expect(texts.match(/Bearer [^{"]/g)).toBeNull();
    for (const source of [
      readJson(manifest.general.base),
      connection && code(connection, 'communication'),
    ]) {
      const request = record(source, 'request');
      expect(record(request.log, 'log').sanitize).toEqual(['request.headers.authorization']);
      expect(String(record(request.headers, 'headers').Authorization)).toMatch(
        /^Bearer \{\{(connection|parameters)\.apiKey\}\}$/,
      );
    }
    const params = connection
      ? list(code(connection, 'params'), 'params').map((p) => record(p, 'param'))
      : [];
    expect(params.map((p) => [p.name, p.type, p.default])).toEqual([
      ['apiKey', 'password', undefined],
    ]);
  });

  test('no file holds a Make API token, an ISAO key or a private key', () => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const leaks = [...files].filter(
      ([, text]) => uuid.test(text) || /isao_(live|test)_|BEGIN [A-Z ]*PRIVATE KEY/.test(text),
    );
    expect(leaks.map(([name]) => name)).toEqual([]);
  });
});

test('toJson refuses what is not JSON data, so the generator cannot write it', () => {
  expect(() => toJson({ f: () => 1 })).toThrow('not JSON data: function');
  const value: Json = toJson({ a: [1, 'b', null, true] });
  expect(value).toEqual({ a: [1, 'b', null, true] });
});
