/**
 * What Make does with the ISAO app's sections, as its custom-app documentation describes it
 * (developers.make.com/custom-apps-documentation): a module's request inherits the base (a URL
 * starting with `/` goes under `baseUrl`; `headers` and `qs` given as an object are merged into
 * the base's, given as one expression they replace them: app-components/base/advanced-inheritance),
 * its body is sent as JSON or, with `type: "text"`, as the text it is; an answer with a status
 * from 400 to 599 is an error worded by `response.error` (the entry for its status, else the
 * default), any other answer is checked by `response.valid` and gives `response.output`; a
 * webhook's request gives one bundle per item of `iterate.container` that passes
 * `iterate.condition`, shaped by `output` (app-components/webhooks).
 */
import { isRecord } from '../../../core/inputs';
import { evaluateSection, type Scope } from './evaluate';
import { ImlRuntimeError, truthy } from './functions';

const fail = (message: string): never => {
  throw new ImlRuntimeError(`Make: ${message}`);
};

type Section = Readonly<Record<string, unknown>>;

const collection = (value: unknown, what: string): Record<string, unknown> =>
  isRecord(value) ? value : fail(`${what} is not a collection: ${JSON.stringify(value)}`);

/** A request as it would leave Make. */
export interface MakeRequest {
  url: string;
  method: string;
  headers: Record<string, unknown>;
  qs: Record<string, unknown>;
  /** The body as sent: JSON text, or the text itself with `type: "text"`. */
  body: string | undefined;
}

/** Whether a call inherits the base: a connection's does not. */
export interface Origin {
  base: Section | undefined;
}

/** `headers` or `qs`: the base's, merged with or replaced by the call's. */
const inherited = (key: string, { base }: Origin, call: Section, scope: Scope) => {
  const own = call[key];
  const from = base?.[key] === undefined ? {} : evaluateSection(base[key], scope);
  if (own === undefined) return collection(from, `the base's ${key}`);
  const evaluated = collection(evaluateSection(own, scope), key);
  // one expression replaces the base's; an object is merged into it
  return typeof own === 'string' ? evaluated : { ...collection(from, key), ...evaluated };
};

const bodyOf = (value: unknown, type: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (type === undefined || type === 'json') return JSON.stringify(value);
  if (type !== 'text') return fail(`a request type ${JSON.stringify(type)} (not used here)`);
  if (typeof value === 'string') return value;
  return fail(`a ${typeof value} body sent as text`);
};

/** The request a call makes, in the scope of its parameters and connection. */
export const requestOf = (origin: Origin, call: Section, scope: Scope): MakeRequest => {
  const url = evaluateSection(call.url, scope);
  if (typeof url !== 'string') return fail(`a URL that is not text: ${JSON.stringify(url)}`);
  const baseUrl = origin.base?.baseUrl;
  const method = call.method === undefined ? 'GET' : evaluateSection(call.method, scope);
  return {
    url: url.startsWith('/') && typeof baseUrl === 'string' ? `${baseUrl}${url}` : url,
    method: typeof method === 'string' ? method : fail('a method that is not text'),
    headers: inherited('headers', origin, call, scope),
    qs: inherited('qs', origin, call, scope),
    body: bodyOf(evaluateSection(call.body, scope), call.type ?? origin.base?.type),
  };
};

/** An answer as Make parsed it. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Outcome =
  { error: { type: string; message: string } } | { output: unknown; data: unknown };

const errorOf = (spec: unknown, scope: Scope, fallback: string) => {
  const entry = collection(spec, 'an error specification');
  const message = evaluateSection(entry.message ?? fallback, scope);
  const type = entry.type === undefined ? 'RuntimeError' : evaluateSection(entry.type, scope);
  if (typeof message !== 'string' || typeof type !== 'string')
    return fail(`an error whose message or type is not text: ${JSON.stringify([message, type])}`);
  return { error: { type, message } };
};

/** What Make makes of an answer to a call: an error, or the call's output and data. */
export const outcomeOf = (origin: Origin, call: Section, answer: Answer, scope: Scope): Outcome => {
  const response = {
    ...(isRecord(origin.base?.response) ? origin.base.response : {}),
    ...(isRecord(call.response) ? call.response : {}),
  };
  const here = {
    ...scope,
    body: answer.body,
    headers: answer.headers ?? {},
    statusCode: answer.status,
  };
  if (answer.status >= 400 && answer.status <= 599) {
    const error = collection(response.error, 'response.error');
    return errorOf(error[String(answer.status)] ?? error, here, '');
  }
  const { valid } = response;
  if (valid !== undefined) {
    const condition = isRecord(valid) ? valid.condition : valid;
    if (!truthy(evaluateSection(condition, here)))
      return errorOf(isRecord(valid) ? valid : {}, here, 'Response marked as invalid.');
  }
  return {
    output: evaluateSection(response.output ?? '{{body}}', here),
    data: evaluateSection(response.data, here),
  };
};

/** A request Make's webhook received. */
export interface Delivery {
  body: unknown;
  headers: Record<string, string>;
}

/** The bundles a webhook's request gives, one per item its `iterate` keeps. */
export const bundlesOf = (communication: Section, delivery: Delivery, scope: Scope): unknown[] => {
  const here = { ...scope, body: delivery.body, headers: delivery.headers };
  const { iterate, output } = communication;
  if (iterate === undefined) return [evaluateSection(output ?? '{{body}}', here)];
  const spec =
    typeof iterate === 'string' ? { container: iterate } : collection(iterate, 'iterate');
  const items = evaluateSection(spec.container, here);
  if (!Array.isArray(items))
    return fail(`iterate.container gave ${JSON.stringify(items)}, not a list`);
  return items.flatMap((item: unknown) => {
    const scoped = { ...here, item };
    const kept = spec.condition === undefined || truthy(evaluateSection(spec.condition, scoped));
    return kept ? [evaluateSection(output ?? '{{item}}', scoped)] : [];
  });
};
