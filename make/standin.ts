/**
 * A local stand-in of Make's API (the SDK-apps endpoints the deploy calls), on 127.0.0.1, for the
 * rehearsal and the deploy's tests: it keeps apps, connections, webhooks and modules as Make
 * would, names connections and webhooks itself as Make does, and answers each call as Make's own
 * tooling says Make answers it (standin-rules.ts): the token, each section's content type, each
 * section against Make's schemas, an instant trigger created with its webhook; and, when told to,
 * a 429 or a validation error now and then (seeded or scripted, so a run repeats). Whatever it
 * refuses on its own is a problem the rehearsal reports; it never reaches the network.
 */
import * as http from 'node:http';
import { isRecord } from '../core/inputs';
import {
  CONNECTION_TYPES,
  contentTypeOf,
  INSTANT_TRIGGER,
  MODULE_TYPES,
  Refused,
  refusalOf,
  SECTIONS,
  UNIVERSAL,
  UNIVERSAL_SUBTYPES,
  validateSection,
  WEBHOOK_TYPES,
  type Call,
  type Faults,
} from './standin-rules';

interface Component {
  name: string;
  label: string;
  type?: string | number;
  connection?: string;
  webhook?: string;
  sections: Map<string, string>;
}

/** What the stand-in holds, for the rehearsal to judge. */
export interface StandinState {
  apps: Map<string, { name: string; version: number; sections: Map<string, string> }>;
  connections: Map<string, Component>;
  webhooks: Map<string, Component>;
  modules: Map<string, Component>;
}

export interface StandinOptions {
  /** Answers given now and then instead of doing a call (see `Faults`); none when left out. */
  faults?: Faults;
}

const API = '/api/v2/sdk/apps';

/** The media type of a Content-Type header, without its parameters. */
const mediaType = (header: string): string => header.split(';')[0]?.trim().toLowerCase() ?? '';

const jsonBody = (call: Call): Record<string, unknown> => {
  if (mediaType(call.contentType) !== 'application/json') {
    throw new Refused(
      400,
      `${call.method} ${call.path}: content type ${call.contentType || 'none'}, expected application/json`,
    );
  }
  const parsed: unknown = JSON.parse(call.body);
  if (!isRecord(parsed))
    throw new Refused(400, `${call.method} ${call.path}: the body is not a JSON object`);
  return parsed;
};

const textIn = (body: Record<string, unknown>, key: string, call: Call): string => {
  const value = body[key];
  if (typeof value !== 'string' || value === '') {
    throw new Refused(400, `${call.method} ${call.path}: "${key}" is required`);
  }
  return value;
};

const oneOf = (body: Record<string, unknown>, key: string, allowed: readonly unknown[]) => {
  if (!allowed.includes(body[key]))
    throw new Refused(400, `Validation failed: ${key} ${JSON.stringify(body[key])} is not allowed`);
};

export class MakeStandin {
  readonly calls: Call[] = [];
  readonly problems: string[] = [];
  readonly state: StandinState = {
    apps: new Map(),
    connections: new Map(),
    webhooks: new Map(),
    modules: new Map(),
  };
  /** What it answers now and then instead of doing a call; a test may change it between runs. */
  faults: Faults | undefined;
  #server: http.Server | undefined;
  #names = 0;

  constructor(
    private readonly token: string,
    options: StandinOptions = {},
  ) {
    this.faults = options.faults;
  }

  /** Listens on 127.0.0.1; the zone to give the SDK (host:port). */
  async start(): Promise<string> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const call: Call = {
          method: request.method ?? '',
          path: request.url ?? '',
          contentType: request.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
          status: 0,
        };
        const index = this.calls.push(call) - 1;
        let answer: unknown;
        let headers: Readonly<Record<string, string>> = {};
        try {
          if (request.headers.authorization !== `Token ${this.token}`) {
            throw new Refused(
              401,
              `${call.method} ${call.path}: not authorised with the API token`,
            );
          }
          const fault = this.faults?.(call, index);
          if (fault) {
            const refusal = refusalOf(fault);
            call.status = refusal.status;
            headers = refusal.headers;
            answer = refusal.body;
          } else {
            answer = this.#handle(call);
            call.status = 200;
          }
        } catch (error) {
          const refusal =
            error instanceof Refused
              ? error
              : new Refused(400, error instanceof Error ? error.message : String(error));
          this.problems.push(
            [refusal.message, ...refusal.suberrors].join(' - ') +
              (refusal.message.includes(call.path) ? '' : ` (${call.method} ${call.path})`),
          );
          call.status = refusal.status;
          headers = refusal.headers;
          answer = refusal.body;
        }
        response.writeHead(call.status, { ...headers, 'content-type': 'application/json' });
        response.end(JSON.stringify(answer ?? {}));
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('the stand-in has no port');
    return `127.0.0.1:${String(address.port)}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server)
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
  }

  /** A name as Make gives one: the app's, then a number. */
  #name(app: string): string {
    this.#names += 1;
    return `${app}${String(this.#names)}`;
  }

  #app(name: string | undefined, version: string | undefined) {
    const app = name === undefined ? undefined : this.state.apps.get(name);
    if (!app || String(app.version) !== version)
      throw new Refused(404, `app ${String(name)} v${String(version)} does not exist`);
    return app;
  }

  #component(map: Map<string, Component>, name: unknown, kind: string): Component {
    const found = typeof name === 'string' ? map.get(name) : undefined;
    if (!found) throw new Refused(404, `${kind} ${String(name)} does not exist`);
    return found;
  }

  /** A reference in a body (`connection`, `webhook`): when given, it must name one that exists. */
  #reference(body: Record<string, unknown>, key: 'connection' | 'webhook'): string | undefined {
    if (body[key] === undefined || body[key] === null) return undefined;
    const map = key === 'connection' ? this.state.connections : this.state.webhooks;
    return this.#component(map, body[key], key).name;
  }

  /** A section upload, in the content type Make's tooling sends it with, judged as Make would. */
  #section(call: Call, sections: Map<string, string>, section: string, allowed: readonly string[]) {
    if (!allowed.includes(section)) throw new Refused(404, `${call.path}: no section ${section}`);
    const expected = contentTypeOf(section);
    if (mediaType(call.contentType) !== expected)
      throw new Refused(
        400,
        `${call.path}: section ${section} sent as ${call.contentType || 'no content type'}, Make takes ${expected}`,
      );
    if (expected !== 'text/markdown') validateSection(section, call.body);
    sections.set(section, call.body);
    return { changed: true };
  }

  #handle(call: Call): unknown {
    const url = new URL(call.path, 'http://standin');
    if (!url.pathname.startsWith(API))
      throw new Refused(404, `${call.method} ${call.path}: not an SDK-apps path`);
    const parts = url.pathname.slice(API.length).split('/').filter(Boolean);
    const [a, b, c, d, e] = parts;
    const { state } = this;
    switch (`${call.method} ${String(parts.length)}`) {
      case 'POST 0': {
        const body = jsonBody(call);
        const name = textIn(body, 'name', call);
        textIn(body, 'label', call);
        textIn(body, 'audience', call);
        if (state.apps.has(name)) throw new Refused(400, `an app named ${name} already exists`);
        state.apps.set(name, { name, version: 1, sections: new Map() });
        return { app: { name, version: 1, label: body.label } };
      }
      case 'GET 2': {
        const app = this.#app(a, b);
        return { app: { name: app.name, version: app.version } };
      }
      case 'PUT 3': {
        if (a === 'connections')
          return this.#section(
            call,
            this.#component(state.connections, b, 'connection').sections,
            c ?? '',
            SECTIONS.connection,
          );
        if (a === 'webhooks')
          return this.#section(
            call,
            this.#component(state.webhooks, b, 'webhook').sections,
            c ?? '',
            SECTIONS.webhook,
          );
        return this.#section(call, this.#app(a, b).sections, c ?? '', SECTIONS.app);
      }
      case 'POST 2': {
        this.#app(a, '1');
        const body = jsonBody(call);
        const label = textIn(body, 'label', call);
        const type = textIn(body, 'type', call);
        if (b === 'connections') {
          oneOf(body, 'type', CONNECTION_TYPES);
          const name = this.#name(a ?? '');
          state.connections.set(name, { name, label, type, sections: new Map() });
          return { appConnection: { name, label, type } };
        }
        if (b !== 'webhooks') throw new Refused(404, `${call.path}: unknown`);
        oneOf(body, 'type', WEBHOOK_TYPES);
        const connection = this.#reference(body, 'connection');
        const name = this.#name(a ?? '');
        state.webhooks.set(name, { name, label, type, connection, sections: new Map() });
        return { appWebhook: { name, label, type } };
      }
      case 'PATCH 2': {
        if (a === 'connections') {
          const connection = this.#component(state.connections, b, 'connection');
          const body = jsonBody(call);
          if (body.label !== undefined) connection.label = textIn(body, 'label', call);
          return { appConnection: { name: connection.name, label: connection.label } };
        }
        if (a !== 'webhooks') throw new Refused(404, `${call.path}: unknown`);
        const hook = this.#component(state.webhooks, b, 'webhook');
        const body = jsonBody(call);
        const label = body.label === undefined ? hook.label : textIn(body, 'label', call);
        const connection =
          body.connection === undefined ? hook.connection : this.#reference(body, 'connection');
        Object.assign(hook, { label, connection });
        return { appWebhook: { name: hook.name, label: hook.label, connection: hook.connection } };
      }
      case 'POST 3': {
        this.#app(a, b);
        if (c !== 'modules') throw new Refused(404, `${call.path}: unknown`);
        const body = jsonBody(call);
        const name = textIn(body, 'name', call);
        if (!/^[a-zA-Z][0-9a-zA-Z]*$/.test(name))
          throw new Refused(400, `module name ${name} is not letters and digits`);
        if (state.modules.has(name))
          throw new Refused(400, `a module named ${name} already exists`);
        const type = body.typeId;
        if (typeof type !== 'number' || MODULE_TYPES[type] === undefined)
          throw new Refused(400, `module ${name}: typeId ${String(type)} unknown`);
        if (type === UNIVERSAL) oneOf(body, 'subtype', UNIVERSAL_SUBTYPES);
        // Make's tooling holds the webhook of an instant trigger mandatory when it is created
        if (type === INSTANT_TRIGGER && (body.webhook === undefined || body.webhook === null))
          throw new Refused(400, `module ${name}: an instant trigger is created with its webhook`);
        textIn(body, 'description', call);
        state.modules.set(name, {
          name,
          label: textIn(body, 'label', call),
          type,
          connection: this.#reference(body, 'connection'),
          webhook: this.#reference(body, 'webhook'),
          sections: new Map(),
        });
        return { appModule: { name, typeId: type } };
      }
      case 'GET 4': {
        this.#app(a, b);
        if (c !== 'modules') throw new Refused(404, `${call.path}: unknown`);
        const module = this.#component(state.modules, d, 'module');
        return { appModule: { name: module.name, label: module.label, typeId: module.type } };
      }
      case 'PATCH 4': {
        this.#app(a, b);
        const module = this.#component(state.modules, d, 'module');
        const body = jsonBody(call);
        if (module.type === INSTANT_TRIGGER && body.webhook === null)
          throw new Refused(400, `module ${module.name}: an instant trigger needs its webhook`);
        // a refused call changes nothing: every part is checked before any is kept
        const label = body.label === undefined ? module.label : textIn(body, 'label', call);
        const connection =
          body.connection === undefined ? module.connection : this.#reference(body, 'connection');
        const webhook =
          body.webhook === undefined ? module.webhook : this.#reference(body, 'webhook');
        Object.assign(module, { label, connection, webhook });
        return { appModule: { name: module.name } };
      }
      case 'PUT 5': {
        this.#app(a, b);
        if (c !== 'modules') throw new Refused(404, `${call.path}: unknown`);
        return this.#section(
          call,
          this.#component(state.modules, d, 'module').sections,
          e ?? '',
          SECTIONS.module,
        );
      }
      default:
        throw new Refused(404, `${call.method} ${call.path}: not an endpoint of the stand-in`);
    }
  }
}
