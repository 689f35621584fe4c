/**
 * The calls a deploy makes, as Make's API offers them: made through Make's SDK (@makehq/sdk), or
 * printed instead (`--dry-run`).
 */
import { Make, type CreateSDKAppBody, type JSONValue } from '@makehq/sdk';
import type { AppRef } from './deploy-state';

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
