/**
 * `npm run make:deploy`: puts the generated app (make/app/) into a Make account through Make's
 * API with the official SDK (@makehq/sdk). It creates the app once, then its connection, its
 * webhooks and its modules, uploads every section, and links each webhook to the connection and
 * each instant trigger to its webhook. Make names connections and webhooks itself: those names,
 * and a digest of everything uploaded, are kept in make/deployments/<zone>.json (commit it), so a
 * second run creates nothing and uploads only what changed. `--dry-run` prints the calls instead.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Make, type CreateSDKAppBody, type JSONValue } from '@makehq/sdk';
import { isRecord, quote, shown } from '../core/inputs';
import { buildApp, MODULE_TYPE_IDS } from './app';
import { APP_DIR, ROOT } from './generate';
import { CODES, jsonText, MANIFEST } from './layout';
import { readManifest, type DeployComponent } from './manifest';

/** The calls a deploy makes, as Make's API offers them. */
export interface MakeCalls {
  checkApp(app: AppRef): Promise<void>;
  createApp(body: CreateSDKAppBody): Promise<AppRef>;
  setAppSection(app: AppRef, section: 'base' | 'groups', content: string): Promise<void>;
  setDocs(app: AppRef, content: string): Promise<void>;
  createConnection(app: AppRef, body: { type: string; label: string }): Promise<string>;
  setConnectionSection(name: string, section: string, content: string): Promise<void>;
  createWebhook(app: AppRef, body: { type: string; label: string }): Promise<string>;
  linkWebhook(name: string, body: { label: string; connection: string }): Promise<void>;
  setWebhookSection(name: string, section: string, content: string): Promise<void>;
  createModule(app: AppRef, body: Record<string, JSONValue>): Promise<void>;
  linkModule(app: AppRef, name: string, body: Record<string, JSONValue>): Promise<void>;
  setModuleSection(app: AppRef, name: string, section: string, content: string): Promise<void>;
}

export interface AppRef {
  name: string;
  version: number;
}

/** What a deploy remembers of one Make account: Make's names, and what it last uploaded. */
export interface DeployState {
  app?: AppRef;
  /** Local id → Make's name, per kind (modules keep the name given to them). */
  names: Record<DeployComponent['kind'], Record<string, string>>;
  /** What was uploaded (a section, a component's links), by a key naming it → its digest. */
  digests: Record<string, string>;
}

export const emptyState = (): DeployState => ({
  names: { connection: {}, webhook: {}, module: {} },
  digests: {},
});

const recordOfTexts = (value: unknown): Record<string, string> =>
  isRecord(value)
    ? Object.fromEntries(
        Object.entries(value).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
      )
    : {};

/** The state kept in `file`, or an empty one (nothing deployed to that account yet). */
export const loadState = (file: string): DeployState => {
  if (!fs.existsSync(file)) return emptyState();
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${file} is not a deployment map`);
  const names = isRecord(parsed.names) ? parsed.names : {};
  const app = isRecord(parsed.app) ? parsed.app : undefined;
  return {
    ...(app && typeof app.name === 'string' && typeof app.version === 'number'
      ? { app: { name: app.name, version: app.version } }
      : {}),
    names: {
      connection: recordOfTexts(names.connection),
      webhook: recordOfTexts(names.webhook),
      module: recordOfTexts(names.module),
    },
    digests: recordOfTexts(parsed.digests),
  };
};

const digest = (content: string): string => createHash('sha256').update(content).digest('hex');

/** What one deploy did. */
export interface DeployResult {
  created: string[];
  uploaded: string[];
  unchanged: number;
}

/**
 * Deploys the app in `appDir` with `calls`, remembering in `state` (saved through `save` after
 * every create, so an interrupted run never creates twice).
 */
export const deployApp = async (
  appDir: string,
  calls: MakeCalls,
  state: DeployState,
  save: (state: DeployState) => void,
  log: (line: string) => void,
): Promise<DeployResult> => {
  const manifest = readManifest(fs.readFileSync(path.join(appDir, MANIFEST), 'utf8'));
  const read = (file: string) => fs.readFileSync(path.join(appDir, file), 'utf8');
  const result: DeployResult = { created: [], uploaded: [], unchanged: 0 };

  /** Runs `upload` only when `content` differs from what was last uploaded under `key`. */
  const upload = async (key: string, content: string, send: () => Promise<void>) => {
    const sum = digest(content);
    if (state.digests[key] === sum) {
      result.unchanged += 1;
      return;
    }
    log(`upload ${key}`);
    await send();
    state.digests[key] = sum;
    result.uploaded.push(key);
    save(state);
  };
  const created = (what: string, name: string) => {
    log(`create ${what} → ${name}`);
    result.created.push(what);
    save(state);
  };

  const meta = buildApp();
  let app = state.app;
  if (app) {
    await calls.checkApp(app);
  } else {
    const { name, label, description, theme, language } = meta;
    app = await calls.createApp({ name, label, description, theme, language, audience: 'global' });
    state.app = app;
    created('app', `${app.name} v${String(app.version)}`);
  }
  const ref = app;
  await upload('app/base', read(manifest.general.base), () =>
    calls.setAppSection(ref, 'base', read(manifest.general.base)),
  );
  await upload('app/groups', read(manifest.general.groups), () =>
    calls.setAppSection(ref, 'groups', read(manifest.general.groups)),
  );
  await upload('app/readme', read(manifest.general.readme), () =>
    calls.setDocs(ref, read(manifest.general.readme)),
  );

  const remote = (kind: DeployComponent['kind'], id: string | undefined): string => {
    const name = id === undefined ? undefined : state.names[kind][id];
    if (name === undefined)
      throw new Error(`makecomapp.json names a ${kind} ${String(id)} that is not in the app`);
    return name;
  };

  for (const component of manifest.components) {
    const { kind, id, label } = component;
    if (state.names[kind][id] === undefined) {
      if (kind === 'connection') {
        state.names.connection[id] = await calls.createConnection(ref, {
          type: component.connectionType ?? 'basic',
          label,
        });
      } else if (kind === 'webhook') {
        state.names.webhook[id] = await calls.createWebhook(ref, {
          type: component.webhookType ?? 'web',
          label,
        });
      } else {
        const moduleType = component.moduleType ?? '';
        if (!Object.hasOwn(MODULE_TYPE_IDS, moduleType)) {
          throw new Error(
            `makecomapp.json: module ${id} has a moduleType this deploy does not know: ${quote(moduleType)}`,
          );
        }
        const typeId =
          Object.entries(MODULE_TYPE_IDS).find(([type]) => type === moduleType)?.[1] ?? 0;
        await calls.createModule(ref, {
          name: id,
          typeId,
          label,
          description: component.description ?? label,
          // Make's API requires the kind of a universal module when it is created
          ...(moduleType === 'universal' ? { subtype: 'Universal' } : {}),
        });
        state.names.module[id] = id;
      }
      created(`${kind} ${id}`, remote(kind, id));
    }
    const name = remote(kind, id);
    if (kind === 'webhook') {
      const links = { label, connection: remote('connection', component.connection) };
      await upload(`webhook/${id}/links`, JSON.stringify(links), () =>
        calls.linkWebhook(name, links),
      );
    }
    if (kind === 'module') {
      const links: Record<string, JSONValue> = {
        label,
        description: component.description ?? label,
        connection: remote('connection', component.connection),
        ...(component.webhook === undefined
          ? {}
          : { webhook: remote('webhook', component.webhook) }),
        ...(component.actionCrud === undefined ? {} : { crud: component.actionCrud }),
      };
      await upload(`module/${id}/links`, JSON.stringify(links), () =>
        calls.linkModule(ref, name, links),
      );
    }
    const sections: Readonly<Record<string, readonly [string, string]>> = CODES[kind];
    for (const [code, file] of Object.entries(component.codeFiles)) {
      const section = sections[code]?.[1];
      if (section === undefined) continue;
      const content = read(file);
      await upload(`${kind}/${id}/${section}`, content, () =>
        kind === 'connection'
          ? calls.setConnectionSection(name, section, content)
          : kind === 'webhook'
            ? calls.setWebhookSection(name, section, content)
            : calls.setModuleSection(ref, name, section, content),
      );
    }
  }
  return result;
};

/** Make's answer to a create, read for the name Make gave (the SDK's types leave some names out). */
const nameIn = (created: object, what: string): string => {
  if ('name' in created && typeof created.name === 'string') return created.name;
  throw new Error(`Make created the ${what} without saying its name`);
};

/** The calls, made through the SDK (`make.fetch` where the SDK's types lack a field Make takes). */
export const sdkCalls = (make: Make): MakeCalls => ({
  checkApp: async (app) => {
    await make.sdk.apps.get(app.name, app.version);
  },
  createApp: async (body) => {
    const app = await make.sdk.apps.create(body);
    return { name: app.name, version: app.version };
  },
  setAppSection: (app, section, content) =>
    make.sdk.apps.setSection(app.name, app.version, section, content),
  setDocs: async (app, content) => {
    await make.sdk.apps.setDocs(app.name, app.version, content);
  },
  createConnection: async (app, body) =>
    nameIn(await make.sdk.connections.create(app.name, body), 'connection'),
  setConnectionSection: (name, section, content) =>
    make.sdk.connections.setSection(name, section === 'api' ? 'api' : 'parameters', content),
  createWebhook: async (app, body) =>
    nameIn(await make.sdk.webhooks.create(app.name, body), 'webhook'),
  linkWebhook: async (name, body) => {
    await make.fetch(`/sdk/apps/webhooks/${name}`, { method: 'PATCH', body });
  },
  setWebhookSection: (name, section, content) => {
    const known = (['api', 'parameters', 'attach', 'detach'] as const).find((s) => s === section);
    if (known === undefined) throw new Error(`no webhook section ${section}`);
    return make.sdk.webhooks.setSection(name, known, content);
  },
  createModule: async (app, body) => {
    await make.fetch(`/sdk/apps/${app.name}/${String(app.version)}/modules`, {
      method: 'POST',
      body,
    });
  },
  linkModule: async (app, name, body) => {
    await make.fetch(`/sdk/apps/${app.name}/${String(app.version)}/modules/${name}`, {
      method: 'PATCH',
      body,
    });
  },
  setModuleSection: (app, name, section, content) => {
    const known = (['api', 'parameters', 'expect', 'interface', 'samples'] as const).find(
      (s) => s === section,
    );
    if (known === undefined) throw new Error(`no module section ${section}`);
    return make.sdk.modules.setSection(app.name, app.version, name, known, content);
  },
});

/** The calls printed, not made: what a deploy would do with the map as it is. */
export const printedCalls = (print: (line: string) => void): MakeCalls => {
  const call = (line: string) => {
    print(`  ${line}`);
    return Promise.resolve();
  };
  return {
    checkApp: (app) => call(`GET /sdk/apps/${app.name}/${String(app.version)}`),
    createApp: async (body) => {
      await call(`POST /sdk/apps ${JSON.stringify(body)}`);
      return { name: body.name, version: 1 };
    },
    setAppSection: (app, section) =>
      call(`PUT /sdk/apps/${app.name}/${String(app.version)}/${section}`),
    setDocs: (app) => call(`PUT /sdk/apps/${app.name}/${String(app.version)}/readme`),
    createConnection: async (app, body) => {
      await call(`POST /sdk/apps/${app.name}/connections ${JSON.stringify(body)}`);
      return `<connection named by Make>`;
    },
    setConnectionSection: (name, section) => call(`PUT /sdk/apps/connections/${name}/${section}`),
    createWebhook: async (app, body) => {
      await call(`POST /sdk/apps/${app.name}/webhooks ${JSON.stringify(body)}`);
      return `<webhook "${body.label}" named by Make>`;
    },
    linkWebhook: (name, body) => call(`PATCH /sdk/apps/webhooks/${name} ${JSON.stringify(body)}`),
    setWebhookSection: (name, section) => call(`PUT /sdk/apps/webhooks/${name}/${section}`),
    createModule: (app, body) =>
      call(`POST /sdk/apps/${app.name}/${String(app.version)}/modules ${JSON.stringify(body)}`),
    linkModule: (app, name, body) =>
      call(
        `PATCH /sdk/apps/${app.name}/${String(app.version)}/modules/${name} ${JSON.stringify(body)}`,
      ),
    setModuleSection: (app, name, section) =>
      call(`PUT /sdk/apps/${app.name}/${String(app.version)}/modules/${name}/${section}`),
  };
};

/** Where the map of one zone's account is kept. */
export const stateFile = (zone: string): string =>
  path.join(ROOT, 'make', 'deployments', `${zone}.json`);

/** A Make zone as the SDK takes it: `eu1.make.com`, or host:port for a local stand-in. */
const ZONE = /^[a-z0-9-]+(\.[a-z0-9-]+)*(:\d+)?$/;

export const MISSING_SETTINGS =
  'make:deploy needs MAKE_API_TOKEN (a Make API token with the sdk-apps:read and sdk-apps:write scopes) and MAKE_ZONE (your Make zone, e.g. eu1.make.com); see docs/make.md.';

export interface DeployOptions {
  token?: string;
  zone?: string;
  dryRun: boolean;
  /** http for a stand-in on this machine (the rehearsal); https otherwise. */
  protocol?: 'http' | 'https';
  appDir?: string;
  stateFile?: string;
  print?: (line: string) => void;
}

/** How many characters of a failure (Make's words included) the deploy prints. */
const FAILURE_MAX = 500;

/** A failure as one bounded line that never shows the token. */
export const failureLine = (error: unknown, secrets: readonly unknown[]): string =>
  shown(error instanceof Error ? error.message : String(error), FAILURE_MAX, secrets);

/**
 * Runs a deploy as the npm script does and gives its exit code: a missing setting or a failed
 * call is one line on stderr (what was created before a failure is in the map, and is not created
 * again by the next run).
 */
export const runDeploy = async (options: DeployOptions): Promise<number> => {
  const print =
    options.print ??
    ((line: string) => {
      console.log(line);
    });
  const zone = options.zone?.trim();
  const token = options.token?.trim();
  if (zone && !ZONE.test(zone)) {
    console.error(`MAKE_ZONE ${quote(zone)} is not a Make zone such as eu1.make.com.`);
    return 1;
  }
  if (!options.dryRun && (!token || !zone)) {
    console.error(MISSING_SETTINGS);
    return 1;
  }
  const file = options.stateFile ?? (zone ? stateFile(zone) : undefined);
  const state = file ? loadState(file) : emptyState();
  const appDir = options.appDir ?? APP_DIR;
  if (options.dryRun) {
    print(
      `make:deploy --dry-run: the calls a deploy to ${zone ?? 'a new Make account'} would make`,
    );
    const result = await deployApp(
      appDir,
      printedCalls(print),
      state,
      () => undefined,
      () => undefined,
    );
    print(
      `${String(result.created.length)} to create, ${String(result.uploaded.length)} to upload, ${String(result.unchanged)} unchanged`,
    );
    return 0;
  }
  const make = new Make(token ?? '', zone ?? '');
  make.protocol = options.protocol ?? 'https';
  const save = (next: DeployState) => {
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, jsonText(next));
  };
  const started = Date.now();
  let result: DeployResult;
  try {
    result = await deployApp(appDir, sdkCalls(make), state, save, print);
  } catch (error) {
    console.error(`make:deploy failed: ${failureLine(error, [token])}`);
    return 1;
  }
  print(
    `make:deploy: ${String(result.created.length)} created, ${String(result.uploaded.length)} uploaded, ${String(result.unchanged)} unchanged in ${String(Date.now() - started)} ms (map: ${file ? path.relative(ROOT, file) : 'none'})`,
  );
  return 0;
};

if (require.main === module) {
  runDeploy({
    token: process.env.MAKE_API_TOKEN,
    zone: process.env.MAKE_ZONE,
    dryRun: process.argv.includes('--dry-run'),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`make:deploy failed: ${failureLine(error, [process.env.MAKE_API_TOKEN])}`);
      process.exitCode = 1;
    },
  );
}
