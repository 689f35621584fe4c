/**
 * The sandbox's HTTP plumbing: a JSON body read within its size limit, a route found for the
 * method and path (404 or 405 otherwise), the key checked (auth.ts) and counted (rate-limit.ts),
 * the route's permission enforced, and every answer or error sent as ISAO sends it. Also the
 * client side: `callSandbox`, a request as any API client sends it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord } from '../core/inputs';
import { ApiError, type FieldError } from './api-error';
import type { ApiKey, Permission } from './auth';
import type { Change, Json } from './store';

export const BASE_PATH = '/api/external';
const MAX_BODY_BYTES = 1024 * 1024;

/** What a route is handed: the path's parameters (decoded), the query and the JSON body. */
export interface Context {
  params: string[];
  query: URLSearchParams;
  body: Json;
}

/** A route's answer (200 unless `status`), and the changes whose events it emits. */
export interface Reply {
  status?: number;
  body: unknown;
  changes?: Change[];
}

export interface Route {
  method: string;
  /** Matched against the path below BASE_PATH; its groups are the params. */
  pattern: RegExp;
  /** The permission the key needs; undefined: any valid key. */
  permission?: Permission;
  /** The metadata.source of events it emits. */
  source?: string;
  handle: (ctx: Context) => Reply;
}

const readBody = async (req: IncomingMessage): Promise<Json> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'Request body is not valid JSON');
  }
  if (!isRecord(parsed)) throw new ApiError(400, 'Request body must be a JSON object');
  return parsed;
};

const send = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
};

const errorBody = (message: string, errors: readonly FieldError[]) => ({
  success: false,
  message,
  ...(errors.length > 0 ? { errors } : {}),
});

const decodeParam = (param: string): string => {
  try {
    return decodeURIComponent(param);
  } catch {
    throw new ApiError(400, `Malformed percent-encoding in the path: ${param}`);
  }
};

export interface HandlerOptions {
  routes: readonly Route[];
  /** The request's key and its token (throws 401). */
  authenticate: (req: IncomingMessage) => [string, ApiKey];
  /** Counts a request of this token: its rate-limit headers (throws 429). */
  throttle: (token: string) => Record<string, string>;
  /** Records a reply's events; returns their delivery, started once the answer is sent. */
  emit: (changes: readonly Change[], source: string) => () => void;
  log: (line: string) => void;
}

/** The server's request handler: one route per request, errors answered as ApiErrors. */
export const createHandler =
  ({ routes, authenticate, throttle, emit, log }: HandlerOptions) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    let headers: Record<string, string> = {};
    try {
      if (!url.pathname.startsWith(`${BASE_PATH}/`)) {
        throw new ApiError(404, `Not found: the API lives under ${BASE_PATH}`);
      }
      const path = url.pathname.slice(BASE_PATH.length).replace(/\/+$/, '');
      const candidates = routes.filter((r) => r.pattern.test(path));
      const route = candidates.find((r) => r.method === method);
      if (!route) {
        if (candidates.length === 0)
          throw new ApiError(404, `Not found: ${method} ${url.pathname}`);
        throw new ApiError(405, `Method ${method} not allowed`, [], {
          Allow: candidates.map((r) => r.method).join(', '),
        });
      }
      const [token, key] = authenticate(req);
      headers = throttle(token);
      if (route.permission && !key.permissions.includes(route.permission)) {
        throw new ApiError(403, `This API key lacks the ${route.permission} permission`);
      }
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(req) : {};
      const params = (route.pattern.exec(path) ?? []).slice(1).map(decodeParam);
      const reply = route.handle({ params, query: url.searchParams, body });
      const deliver = emit(reply.changes ?? [], route.source ?? 'sandbox');
      // The answer goes first; webhooks follow once it is on its way.
      res.on('finish', deliver);
      send(res, reply.status ?? 200, reply.body, headers);
      log(`${method} ${url.pathname}${url.search} → ${String(reply.status ?? 200)}`);
    } catch (error) {
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError(
              500,
              `Sandbox error: ${error instanceof Error ? error.message : String(error)}`,
            );
      send(res, failure.status, errorBody(failure.message, failure.errors), {
        ...headers,
        ...failure.headers,
      });
      log(`${method} ${url.pathname}${url.search} → ${String(failure.status)} ${failure.message}`);
    }
  };

export interface CallResult {
  status: number;
  headers: Headers;
  /** The parsed JSON body. */
  body: unknown;
}

/** A request to the API at baseUrl with a bearer key, as any client would send it. */
export const callSandbox = async (
  baseUrl: string,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<CallResult> => {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
};
