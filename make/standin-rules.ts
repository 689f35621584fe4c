/**
 * What the stand-in of Make's API (standin.ts) accepts, written from Make's side and never from
 * the deploy's: the sections of each component and the content type Make's own tooling sends
 * each with, the module types and what Make requires when one is created, Make's own schemas
 * for each section, and how Make answers a refusal and a rate limit. Make's VS Code extension
 * (github.com/integromat/vscode-apps-sdk: its code definitions, component creation and request
 * layer) and Make's SDK (@makehq/sdk: how it reads an error) are where these come from.
 */
import { loadJudge, SECTION_SCHEMAS, schemasDir, type Judge, type SchemaFile } from './schemas';
import { ROOT } from './generate';

/** The sections of Make's API, per component (what may be PUT). */
export const SECTIONS = {
  app: ['base', 'groups', 'readme', 'common', 'install', 'installSpec'],
  connection: ['api', 'parameters', 'scopes', 'scope', 'install', 'installSpec', 'common'],
  webhook: ['api', 'parameters', 'attach', 'detach', 'scope', 'update'],
  module: ['api', 'epoch', 'parameters', 'expect', 'interface', 'samples', 'scope'],
} as const;

/**
 * The content type Make's tooling sends a section with: the readme as markdown, the groups and
 * the common data as JSON, every IML section as JSONC. Make refuses a `.json` section sent as
 * JSONC, so the stand-in takes no other.
 */
export const contentTypeOf = (section: string): string =>
  section === 'readme'
    ? 'text/markdown'
    : section === 'groups' || section === 'common'
      ? 'application/json'
      : 'application/jsonc';

/** Make's module type ids (the extension's names for them). */
export const MODULE_TYPES: Readonly<Record<number, string>> = {
  1: 'trigger',
  4: 'action',
  9: 'search',
  10: 'instant_trigger',
  11: 'responder',
  12: 'universal',
};
export const INSTANT_TRIGGER = 10;
export const UNIVERSAL = 12;
export const UNIVERSAL_SUBTYPES: readonly unknown[] = ['Universal', 'UniversalGraphQL'];
export const CONNECTION_TYPES: readonly unknown[] = ['basic', 'oauth'];
export const WEBHOOK_TYPES: readonly unknown[] = ['web', 'web-shared'];

/** An answer of Make's other than 2xx: its status, its body (`message`, `suberrors`) and headers. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly suberrors: readonly string[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The body as Make's API writes an error: the SDK reads `message` and each suberror's. */
  get body(): { message: string; suberrors?: { message: string }[] } {
    return {
      message: this.message,
      ...(this.suberrors.length > 0
        ? { suberrors: this.suberrors.map((message) => ({ message })) }
        : {}),
    };
  }
}

/** How many of a schema's findings a validation answer lists. */
const SUBERRORS_MAX = 5;

const schemaOf = (section: string): SchemaFile | undefined =>
  Object.entries(SECTION_SCHEMAS).find(([name]) => name === section)?.[1];

let judge: Judge | undefined;

/** Make's schemas (../shared/make-schemas), loaded once. */
export const makeSchemas = (): Judge => (judge ??= loadJudge(schemasDir(ROOT)));

/**
 * A section's content judged as Make judges it: JSON (the generator writes no comments), and,
 * where Make has a schema for the section, valid by that schema; a refusal is Make's validation
 * answer, 400 with one suberror per finding.
 */
export const validateSection = (section: string, body: string): void => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new Refused(400, `Validation failed: section ${section} is not valid JSON`, [
      error instanceof Error ? error.message : String(error),
    ]);
  }
  const schema = schemaOf(section);
  if (schema === undefined) return;
  const problems = makeSchemas()(schema, parsed);
  if (problems.length > 0) {
    throw new Refused(
      400,
      `Validation failed: section ${section}`,
      problems.slice(0, SUBERRORS_MAX).map(({ at, message }) => `${at}: ${message}`),
    );
  }
};

/** One call the stand-in received, and the status it answered (0 until answered). */
export interface Call {
  method: string;
  path: string;
  contentType: string;
  body: string;
  status: number;
}

/**
 * What the stand-in answers now and then instead of doing a call, as Make does: a 429 (with the
 * seconds to wait in Retry-After, when given), or a validation error. Given a call and how many
 * calls came before it; undefined to do the call.
 */
export type Fault = { status: 429; retryAfter?: number } | { status: 400; message: string };
export type Faults = (call: Call, index: number) => Fault | undefined;

/** The refusal a fault answers with. */
export const refusalOf = (fault: Fault): Refused =>
  fault.status === 429
    ? new Refused(
        429,
        'Too Many Requests',
        [],
        fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
      )
    : new Refused(400, 'Validation failed', [fault.message]);

/**
 * Faults drawn from a seeded generator (mulberry32), one draw per call: the same seed gives the
 * same faults at the same calls on every run, so a test or CI never depends on luck. `tooMany`
 * and `invalid` are the shares of calls answered 429 and (uploads only) a validation error.
 */
export const seededFaults = (
  seed: number,
  rates: { tooMany?: number; invalid?: number },
  retryAfter = 1,
): Faults => {
  let state = seed >>> 0;
  const draw = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const tooMany = rates.tooMany ?? 0;
  const invalid = rates.invalid ?? 0;
  return (call) => {
    const roll = draw();
    if (roll < tooMany) return { status: 429, retryAfter };
    if (call.method === 'PUT' && roll < tooMany + invalid)
      return { status: 400, message: `${call.path}: refused by the stand-in (seeded)` };
    return undefined;
  };
};
