/**
 * The app as files, in the layout of Make's local development (the Make Apps SDK extension for
 * VS Code): `makecomapp.json` names every component and the file of each of its code sections,
 * `<kind>s/<id>/<id>.<code>.iml.json`, with the app's base, groups and readme beside them. The
 * deploy script reads the same files, so what Make's extension would deploy and what
 * `npm run make:deploy` deploys are one thing.
 */
import type { AppDef, ModuleType } from './app';
import type { Json } from './iml';

/**
 * The component kinds of makecomapp.json, and their folders: every kind Make's manifest schema
 * requires (this app has no rpc, function or endpoint, but the manifest lists each, empty).
 */
export type ComponentKind = 'connection' | 'webhook' | 'module' | 'rpc' | 'function' | 'endpoint';
const FOLDERS: Readonly<Record<ComponentKind, string>> = {
  connection: 'connections',
  webhook: 'webhooks',
  module: 'modules',
  rpc: 'rpcs',
  function: 'functions',
  endpoint: 'endpoints',
};

/**
 * Each code of a component: the part of its file name, and the section of Make's API that holds
 * it (a module's static parameters are its `parameters`, its mappable ones its `expect`).
 */
export const CODES = {
  connection: { communication: ['communication', 'api'], params: ['params', 'parameters'] },
  webhook: {
    communication: ['communication', 'api'],
    params: ['params', 'parameters'],
    attach: ['attach', 'attach'],
    detach: ['detach', 'detach'],
  },
  module: {
    communication: ['communication', 'api'],
    staticParams: ['static-params', 'parameters'],
    mappableParams: ['mappable-params', 'expect'],
    interface: ['interface', 'interface'],
    samples: ['samples', 'samples'],
  },
} as const satisfies Partial<Record<ComponentKind, Record<string, readonly [string, string]>>>;

/** The app-wide files, and the makecomapp.json keys naming them. */
export const GENERAL_FILES = {
  base: 'general/base.iml.json',
  common: null,
  groups: 'modules/groups.json',
  readme: 'README.md',
} as const;

export const MANIFEST = 'makecomapp.json';

/** Component metadata as makecomapp.json holds it. */
export interface ComponentMeta {
  label: string;
  description?: string;
  connectionType?: 'basic';
  webhookType?: 'web';
  moduleType?: ModuleType;
  actionCrud?: 'create';
  connection?: string;
  webhook?: string;
  codeFiles: Record<string, string>;
}

/** makecomapp.json as this app writes it. */
export interface Manifest {
  fileVersion: number;
  generalCodeFiles: typeof GENERAL_FILES;
  components: Record<ComponentKind, Record<string, ComponentMeta>>;
  origins: {
    label: string;
    baseUrl: string;
    appId: string;
    appVersion: number;
    apikeyFile: string;
    idMapping: Record<ComponentKind, { local: string; remote: string }[]>;
  }[];
}

/** `watchNewContact` → `watch-new-contact`: the extension's file and folder names. */
const kebab = (id: string): string => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A JSON file as the generator writes it: two-space indents, a final newline. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The files of the app, path → content, makecomapp.json included. */
export const appFiles = (app: AppDef): Map<string, string> => {
  const files = new Map<string, string>();
  const component = (
    kind: keyof typeof CODES,
    id: string,
    codes: Readonly<Record<string, Json | undefined>>,
  ): Record<string, string> => {
    const codeFiles: Record<string, string> = {};
    for (const [code, [part]] of Object.entries<readonly [string, string]>(CODES[kind])) {
      const content = codes[code];
      if (content === undefined) continue;
      const path = `${FOLDERS[kind]}/${kebab(id)}/${kebab(id)}.${part}.iml.json`;
      files.set(path, jsonText(content));
      codeFiles[code] = path;
    }
    return codeFiles;
  };
  const { connection } = app;
  const manifest: Manifest = {
    fileVersion: 1,
    generalCodeFiles: GENERAL_FILES,
    components: {
      connection: {
        [connection.id]: {
          label: connection.label,
          connectionType: connection.connectionType,
          codeFiles: component('connection', connection.id, connection.codes),
        },
      },
      webhook: Object.fromEntries(
        app.webhooks.map((hook) => [
          hook.id,
          {
            label: hook.label,
            webhookType: hook.webhookType,
            connection: hook.connection,
            codeFiles: component('webhook', hook.id, hook.codes),
          },
        ]),
      ),
      module: Object.fromEntries(
        app.modules.map((module) => [
          module.id,
          {
            label: module.label,
            description: module.description,
            moduleType: module.moduleType,
            ...(module.actionCrud ? { actionCrud: module.actionCrud } : {}),
            connection: module.connection,
            ...(module.webhook ? { webhook: module.webhook } : {}),
            codeFiles: component('module', module.id, module.codes),
          },
        ]),
      ),
      rpc: {},
      function: {},
      endpoint: {},
    },
    // for Make's VS Code extension: set the zone's baseUrl and the app's id (docs/make.md);
    // `npm run make:deploy` keeps its own map of Make's names (make/deployments/)
    origins: [
      {
        label: 'Make',
        baseUrl: 'https://eu1.make.com/api',
        appId: app.name,
        appVersion: 1,
        apikeyFile: '../../.secrets/make-apikey',
        idMapping: {
          connection: [],
          webhook: [],
          module: [],
          rpc: [],
          function: [],
          endpoint: [],
        },
      },
    ],
  };
  files.set(GENERAL_FILES.base, jsonText(app.base));
  files.set(GENERAL_FILES.groups, jsonText(app.groups));
  files.set(GENERAL_FILES.readme, app.readme);
  files.set(MANIFEST, jsonText(manifest));
  return files;
};
