/**
 * The calls a deploy makes, as Make's API offers them: made through Make's SDK (@makehq/sdk),
 * which retries a 429 as Make asks (Retry-After) within bounds, or printed instead (`--dry-run`).
 */
import { Make, MakeError, type CreateSDKAppBody, type JSONValue } from '@makehq/sdk';
import { isRecord } from '../core/inputs';
import type { AppRef } from './deploy-state';

/**
 * How the deploy answers Make's 429 Too Many Requests: it waits as long as Make asks in
 * Retry-After (seconds), or, when Make does not say, 2 s doubling each time; at most `retries`
 * times for one call, and it never waits longer than `maxWaitMs` at once (it stops instead).
 */
export const RATE_LIMIT = { retries: 5, fallbackMs: 2_000, maxWaitMs: 60_000 } as const;

export type Sleep = (ms: number) => Promise<void>;

/** Make's SDK, retrying a 429 as RATE_LIMIT says; `sleep` does the waiting (a test records it). */
export class PacedMake extends Make {
  readonly #sleep: Sleep;

  constructor(token: string, zone: string, sleep: Sleep) {
    super(token, zone, { retry: { onRateLimit: true, maxRetries: RATE_LIMIT.retries } });
    this.#sleep = sleep;
  }

  protected override calculateRetryDelay(response: Response, attempt: number): number {
    // a header's value comes without the spaces around it (the Fetch standard's Headers); none
    // is null, which the pattern refuses as it refuses a date
    const asked = String(response.headers.get('retry-after'));
    const ms = /^\d+$/.test(asked) ? Number(asked) * 1000 : RATE_LIMIT.fallbackMs * 2 ** attempt;
    if (ms > RATE_LIMIT.maxWaitMs) {
      throw new Error(
        `Make answered 429 Too Many Requests and asked to wait ${String(ms / 1000)} s, longer than the deploy waits (${String(RATE_LIMIT.maxWaitMs / 1000)} s): run it again later`,
      );
    }
    return ms;
  }

  protected override sleep(ms: number): Promise<void> {
    return this.#sleep(ms);
  }
}

/** What Make answered, as the deploy reports it: its status and words (the SDK's MakeError). */
export const answerOf = (error: unknown): string => {
  if (!(error instanceof MakeError)) return error instanceof Error ? error.message : String(error);
  if (error.statusCode === 429)
    return `Make answered 429 Too Many Requests ${String(RATE_LIMIT.retries + 1)} times in a row (its rate limit): run the deploy again later`;
  return `Make answered ${String(error.statusCode)}: ${error.message}`;
};

/** The calls a deploy makes, as Make's API offers them. */
export interface MakeCalls {
  checkApp(app: AppRef): Promise<void>;
  createApp(body: CreateSDKAppBody): Promise<AppRef>;
  setAppSection(app: AppRef, section: 'base' | 'groups', content: string): Promise<void>;
  setDocs(app: AppRef, content: string): Promise<void>;
  createConnection(app: AppRef, body: { type: string; label: string }): Promise<string>;
  linkConnection(name: string, body: Record<string, JSONValue>): Promise<void>;
  setConnectionSection(name: string, section: string, content: string): Promise<void>;
  createWebhook(app: AppRef, body: Record<string, JSONValue>): Promise<string>;
  linkWebhook(name: string, body: Record<string, JSONValue>): Promise<void>;
  setWebhookSection(name: string, section: string, content: string): Promise<void>;
  createModule(app: AppRef, body: Record<string, JSONValue>): Promise<void>;
  /** Whether Make holds a module of that name (a 404 is no). */
  moduleExists(app: AppRef, name: string): Promise<boolean>;
  linkModule(app: AppRef, name: string, body: Record<string, JSONValue>): Promise<void>;
  setModuleSection(app: AppRef, name: string, section: string, content: string): Promise<void>;
}

/** Where Make answers a created connection or webhook, with the name it gave. */
const CREATED_KEYS = { connection: 'appConnection', webhook: 'appWebhook' } as const;

/** The calls, made through the SDK (`make.fetch` where the SDK's types lack a field Make takes). */
export const sdkCalls = (make: Make): MakeCalls => {
  const appPath = (app: AppRef) => `/sdk/apps/${app.name}/${String(app.version)}`;
  /** Creates a connection or a webhook; the name Make gave it. */
  const createNamed = async (
    app: AppRef,
    kind: keyof typeof CREATED_KEYS,
    body: Record<string, JSONValue>,
  ): Promise<string> => {
    const answer = await make.fetch(`/sdk/apps/${app.name}/${kind}s`, { method: 'POST', body });
    const created: unknown = isRecord(answer) ? answer[CREATED_KEYS[kind]] : undefined;
    if (isRecord(created) && typeof created.name === 'string') return created.name;
    throw new Error(`Make created the ${kind} without saying its name`);
  };
  const link = async (
    kind: keyof typeof CREATED_KEYS,
    name: string,
    body: Record<string, JSONValue>,
  ) => {
    await make.fetch(`/sdk/apps/${kind}s/${name}`, { method: 'PATCH', body });
  };
  return {
    checkApp: async (app) => {
      await make.sdk.apps.get(app.name, app.version);
    },
    createApp: async (body) => {
      const app = await make.sdk.apps.create(body);
      return { name: app.name, version: app.version };
    },
    setAppSection: async (app, section, content) => {
      // Make takes the groups as JSON and the base as JSONC, as its own tooling sends them; the
      // SDK's setSection sends every section as JSONC
      if (section === 'groups') {
        await make.fetch(`${appPath(app)}/groups`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: content,
        });
      } else {
        await make.sdk.apps.setSection(app.name, app.version, section, content);
      }
    },
    setDocs: async (app, content) => {
      await make.sdk.apps.setDocs(app.name, app.version, content);
    },
    createConnection: (app, body) => createNamed(app, 'connection', body),
    linkConnection: (name, body) => link('connection', name, body),
    setConnectionSection: (name, section, content) =>
      make.sdk.connections.setSection(name, section === 'api' ? 'api' : 'parameters', content),
    createWebhook: (app, body) => createNamed(app, 'webhook', body),
    linkWebhook: (name, body) => link('webhook', name, body),
    setWebhookSection: (name, section, content) => {
      const known = (['api', 'parameters', 'attach', 'detach'] as const).find((s) => s === section);
      if (known === undefined) throw new Error(`no webhook section ${section}`);
      return make.sdk.webhooks.setSection(name, known, content);
    },
    createModule: async (app, body) => {
      await make.fetch(`${appPath(app)}/modules`, { method: 'POST', body });
    },
    moduleExists: async (app, name) => {
      try {
        await make.sdk.modules.get(app.name, app.version, name);
        return true;
      } catch (error) {
        if (error instanceof MakeError && error.statusCode === 404) return false;
        throw error;
      }
    },
    linkModule: async (app, name, body) => {
      await make.fetch(`${appPath(app)}/modules/${name}`, { method: 'PATCH', body });
    },
    setModuleSection: (app, name, section, content) => {
      const known = (['api', 'parameters', 'expect', 'interface', 'samples'] as const).find(
        (s) => s === section,
      );
      if (known === undefined) throw new Error(`no module section ${section}`);
      return make.sdk.modules.setSection(app.name, app.version, name, known, content);
    },
  };
};

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
    linkConnection: (name, body) =>
      call(`PATCH /sdk/apps/connections/${name} ${JSON.stringify(body)}`),
    setConnectionSection: (name, section) => call(`PUT /sdk/apps/connections/${name}/${section}`),
    createWebhook: async (app, body) => {
      await call(`POST /sdk/apps/${app.name}/webhooks ${JSON.stringify(body)}`);
      return `<webhook ${JSON.stringify(body.label)} named by Make>`;
    },
    linkWebhook: (name, body) => call(`PATCH /sdk/apps/webhooks/${name} ${JSON.stringify(body)}`),
    setWebhookSection: (name, section) => call(`PUT /sdk/apps/webhooks/${name}/${section}`),
    createModule: (app, body) =>
      call(`POST /sdk/apps/${app.name}/${String(app.version)}/modules ${JSON.stringify(body)}`),
    moduleExists: () => Promise.resolve(false),
    linkModule: (app, name, body) =>
      call(
        `PATCH /sdk/apps/${app.name}/${String(app.version)}/modules/${name} ${JSON.stringify(body)}`,
      ),
    setModuleSection: (app, name, section) =>
      call(`PUT /sdk/apps/${app.name}/${String(app.version)}/modules/${name}/${section}`),
  };
};
