/**
 * A headless n8n for the end-to-end run: its own user folder (database, community packages) in a
 * temporary folder, everything on 127.0.0.1 on free ports, no telemetry, and an owner account
 * managed by the environment so the run can log in to n8n's REST API (publish and unpublish a
 * workflow in the running n8n, read its executions) the way the editor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { run, type N8nInstall } from './install';

/** A free TCP port on 127.0.0.1 (free when asked; nothing else here races for it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** Polls `probe` every 250 ms until it returns a value (not undefined), or fails after `ms`. */
export const waitFor = async <T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined>,
): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what}: not within ${String(ms / 1000)} s`);
    await sleep(250);
  }
};

export interface N8nOptions {
  install: N8nInstall;
  /** The temporary folder holding the user folder and the log. */
  home: string;
}

/** A JSON answer of n8n's REST API. */
export interface RestResult {
  status: number;
  body: unknown;
}

export interface N8n {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Where community packages go: `<user folder>/.n8n/nodes` (npm installs them there). */
  nodesDir: string;
  /** n8n's log (stdout and stderr). */
  logFile: string;
  /** Runs an n8n command (`import:workflow --input=…`) against the same database. */
  cli: (args: readonly string[]) => Promise<string>;
  /** Starts `n8n start`; resolves when n8n answers /healthz/readiness. */
  start: () => Promise<void>;
  /** Logs in as the owner; later `rest` calls carry the session cookie. */
  login: () => Promise<void>;
  /** A request to n8n's REST API (`/rest<route>`), as the logged-in owner once logged in. */
  rest: (method: string, route: string, body?: unknown) => Promise<RestResult>;
  /** Any request to n8n (`/types/nodes.json`), as the logged-in owner once logged in. */
  request: (method: string, route: string, body?: unknown) => Promise<RestResult>;
  /** The last lines of n8n's log, for a failure report. */
  logTail: (lines: number) => string;
  /** SIGTERM to n8n's process group, SIGKILL after 10 s; resolves when it has exited. */
  stop: () => Promise<void>;
}

const OWNER_EMAIL = 'e2e@isao.example';

/** A bcrypt hash of the owner's password, made with the bcryptjs n8n itself ships. */
const bcryptHash = (install: N8nInstall, password: string): string => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's own copy, in the cache
  const bcrypt = require(path.join(install.modules, 'bcryptjs')) as {
    hashSync: (password: string, rounds: number) => string;
  };
  return bcrypt.hashSync(password, 10);
};

export const createN8n = async ({ install, home }: N8nOptions): Promise<N8n> => {
  const [port, brokerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${String(port)}`;
  const userFolder = path.join(home, 'user');
  const logFile = path.join(home, 'n8n.log');
  const password = `E2e-${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
    N8N_USER_FOLDER: userFolder,
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PORT: String(port),
    N8N_WEBHOOK_URL: `${url}/`,
    N8N_EDITOR_BASE_URL: `${url}/`,
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
    N8N_SECURE_COOKIE: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
    N8N_INSTANCE_OWNER_EMAIL: OWNER_EMAIL,
    N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(install, password),
    DB_TYPE: 'sqlite',
    NODE_ENV: 'production',
  };
  fs.mkdirSync(userFolder, { recursive: true });
  fs.writeFileSync(logFile, '');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let cookie = '';

  const request = async (method: string, route: string, body?: unknown): Promise<RestResult> => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
    if (setCookie) cookie = setCookie.split(';')[0] ?? '';
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };
  const rest = (method: string, route: string, body?: unknown) =>
    request(method, `/rest${route}`, body);

  const start = async (): Promise<void> => {
    const log = fs.openSync(logFile, 'a');
    const started = spawn(install.node, [install.bin, 'start'], {
      cwd: home,
      env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    child = started;
    exited = new Promise((resolve) => {
      started.once('exit', () => {
        resolve();
      });
    });
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    await waitFor('n8n ready (GET /healthz/readiness)', 90_000, async () => {
      if (gone) throw new Error(`n8n exited at start:\n${logTail(20)}`);
      const res = await fetch(`${url}/healthz/readiness`);
      return res.ok ? true : undefined;
    }).catch((error: unknown) => {
      if (gone) throw new Error(`n8n exited at start:\n${logTail(20)}`);
      throw error;
    });
  };

  const login = async (): Promise<void> => {
    const res = await rest('POST', '/login', { emailOrLdapLoginId: OWNER_EMAIL, password });
    if (res.status !== 200 || !cookie) {
      throw new Error(`n8n login: HTTP ${String(res.status)} ${JSON.stringify(res.body)}`);
    }
  };

  const logTail = (lines: number): string =>
    fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');

  const stop = async (): Promise<void> => {
    const pid = child?.pid;
    if (pid === undefined || child?.exitCode !== null || child.signalCode !== null) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => {
      signal('SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };

  return {
    url,
    nodesDir: path.join(userFolder, '.n8n', 'nodes'),
    logFile,
    cli: (args) => run(install.node, [install.bin, ...args], { cwd: home, env }),
    start,
    login,
    rest,
    request,
    logTail,
    stop,
  };
};
