/**
 * A local stand-in of Make's API (the SDK-apps endpoints the deploy calls), on 127.0.0.1, for the
 * rehearsal: it keeps apps, connections, webhooks and modules as Make would, names connections
 * and webhooks itself as Make does, and checks every call it gets (method, path, the token,
 * content type, body). Whatever it refuses is a problem the rehearsal reports; it never reaches
 * the network.
 */
import * as http from 'node:http';
import { isRecord } from '../core/inputs';

/** One call the stand-in received. */
export interface Call {
  method: string;
  path: string;
  contentType: string;
  body: string;
}

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

/** The sections Make's API accepts, per component (what the deploy may PUT). */
const SECTIONS = {
  app: ['base', 'groups', 'readme'],
  connection: ['api', 'parameters', 'scopes', 'scope', 'install', 'installSpec'],
  webhook: ['api', 'parameters', 'attach', 'detach', 'scope', 'update'],
  module: ['api', 'epoch', 'parameters', 'expect', 'interface', 'samples', 'scope'],
} as const;

const API = '/api/v2/sdk/apps';

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const jsonBody = (call: Call): Record<string, unknown> => {
  if (!/^application\/json\b/.test(call.contentType)) {
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

export class MakeStandin {
  readonly calls: Call[] = [];
  readonly problems: string[] = [];
  readonly state: StandinState = {
    apps: new Map(),
    connections: new Map(),
    webhooks: new Map(),
    modules: new Map(),
  };
  #server: http.Server | undefined;
  #names = 0;

  constructor(private readonly token: string) {}

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
        };
        this.calls.push(call);
        let status = 200;
        let answer: unknown;
        try {
          if (request.headers.authorization !== `Token ${this.token}`) {
            throw new Refused(
              401,
              `${call.method} ${call.path}: not authorised with the API token`,
            );
          }
          answer = this.#handle(call);
        } catch (error) {
          status = error instanceof Refused ? error.status : 400;
          const message = error instanceof Error ? error.message : String(error);
          this.problems.push(message);
          answer = { message };
        }
        response.writeHead(status, { 'content-type': 'application/json' });
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

  #component(map: Map<string, Component>, name: string | undefined, kind: string): Component {
    const found = name === undefined ? undefined : map.get(name);
    if (!found) throw new Refused(404, `${kind} ${String(name)} does not exist`);
    return found;
  }

  /** A section upload: the body must be JSON (Make parses it) sent as application/jsonc. */
  #section(call: Call, sections: Map<string, string>, section: string, allowed: readonly string[]) {
    if (!allowed.includes(section)) throw new Refused(404, `${call.path}: no section ${section}`);
    if (section === 'readme') {
      if (call.contentType !== 'text/markdown')
        throw new Refused(400, `${call.path}: the readme must be text/markdown`);
    } else {
      if (call.contentType !== 'application/jsonc')
        throw new Refused(
          400,
          `${call.path}: a section must be application/jsonc, got ${call.contentType}`,
        );
      JSON.parse(call.body);
    }
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
        const name = this.#name(a ?? '');
        const map =
          b === 'connections' ? state.connections : b === 'webhooks' ? state.webhooks : undefined;
        if (!map) throw new Refused(404, `${call.path}: unknown`);
        map.set(name, { name, label, type, sections: new Map() });
        return b === 'connections'
          ? { appConnection: { name, label, type } }
          : { appWebhook: { name, label, type } };
      }
      case 'PATCH 2': {
        if (a !== 'webhooks') throw new Refused(404, `${call.path}: unknown`);
        const hook = this.#component(state.webhooks, b, 'webhook');
        const body = jsonBody(call);
        hook.label = textIn(body, 'label', call);
        const connection = textIn(body, 'connection', call);
        this.#component(state.connections, connection, 'connection');
        hook.connection = connection;
        return { appWebhook: { name: hook.name, label: hook.label, connection } };
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
        if (type !== 4 && type !== 10 && type !== 12)
          throw new Refused(400, `module ${name}: typeId ${String(type)} unknown`);
        if (type === 12 && body.subtype !== 'Universal')
          throw new Refused(400, `module ${name}: a universal module needs its subtype`);
        textIn(body, 'description', call);
        state.modules.set(name, {
          name,
          label: textIn(body, 'label', call),
          type,
          sections: new Map(),
        });
        return { appModule: { name, typeId: type } };
      }
      case 'PATCH 4': {
        this.#app(a, b);
        const module = this.#component(state.modules, d, 'module');
        const body = jsonBody(call);
        module.label = textIn(body, 'label', call);
        const connection = textIn(body, 'connection', call);
        this.#component(state.connections, connection, 'connection');
        module.connection = connection;
        if (body.webhook !== undefined) {
          const webhook = textIn(body, 'webhook', call);
          this.#component(state.webhooks, webhook, 'webhook');
          module.webhook = webhook;
        }
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
