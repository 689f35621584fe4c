/**
 * What the checks' tests share: the static evidence read once per file and a rule run with the
 * live parts it reads (passes.test.ts, broken.test.ts), and the helpers that break a copy of the
 * evidence (rules.broken.ts, rules-own.broken.ts). The definition is dist/'s: see evidence.ts for
 * running jest without `npm test`.
 */
import type { Trigger } from 'zapier-platform-core';
import App from '../../src';
import {
  LIVE_PARTS,
  liveEvidence,
  operationOf,
  staticEvidence,
  type LiveApp,
  type LivePart,
  type Operation,
} from './evidence';
import type { ActionDef, Evidence, FieldDef, Rule } from './definition';

/*
 * The static evidence (definition, modules, halts: none of the app's operations run for it) is
 * read once per file. The live evidence (what the app's operations do: subscriptions, produced)
 * is gathered inside each test whose check reads it, never in a beforeAll: per-test coverage
 * (`npm run mutate`) then attributes the app code it runs to the tests that judge it, and a
 * mutant there is re-tested by those few tests instead of the whole suite.
 */
let staticPart: Promise<Evidence> | undefined;
export const theStaticEvidence = (): Promise<Evidence> => (staticPart ??= staticEvidence());

/** The live parts a rule reads that `e` lacks: the rule runs once on a copy that records them. */
export const livePartsRead = (rule: Rule, e: Evidence): LivePart[] => {
  const read = new Set<LivePart>();
  const probe: Evidence = { ...e };
  for (const part of LIVE_PARTS.filter((p) => !(p in e))) {
    Object.defineProperty(probe, part, {
      enumerable: true,
      get: () => {
        read.add(part);
        return {};
      },
    });
  }
  rule.run(probe);
  return [...read];
};

/** A rule's failures on `e`, once the live parts it reads and `e` lacks are gathered from src/. */
export const runRule = async (rule: Rule, e: Evidence) => {
  const missing = livePartsRead(rule, e);
  const live = missing.length > 0 ? await liveEvidence(e.definition, App, missing) : {};
  return rule.run({ ...e, ...live });
};

export type Json = Record<string, unknown>;
export type Op = Operation;
export const LIVE_TRIGGERS: Record<string, Trigger | undefined> = App.triggers;
/** One of the live app's trigger operations (the test fails if it has none of that name). */
export const liveOp = (key: string, name: string): Op => {
  const op = operationOf(App, 'triggers', key, name);
  if (!op) throw new Error(`triggers.${key} has no ${name}`);
  return op;
};

export const copy = async (): Promise<Evidence> => structuredClone(await theStaticEvidence());
export const triggerKeys = (e: Evidence) => Object.keys(e.definition.triggers ?? {});
export const trigger = (e: Evidence, index = 0): [string, ActionDef] => {
  const key = triggerKeys(e)[index]!;
  return [key, e.definition.triggers![key]!];
};
export const sampleOf = (action: ActionDef) => action.operation.sample as Json;
export const outputFields = (action: ActionDef) => action.operation.outputFields as FieldDef[];

/** Adds a create (so create checks are proven whether or not the app has creates yet). */
export const addCreate = (e: Evidence, operation: ActionDef['operation']): string => {
  e.definition.creates = {
    ...e.definition.creates,
    broken_create: {
      key: 'broken_create',
      noun: 'Thing',
      display: { label: 'Create Thing', description: 'Creates a thing.' },
      operation,
    },
  };
  return 'creates.broken_create';
};

/** A copy of the live app with one trigger operation replaced. */
export const withTriggerOperation = (
  key: string,
  name: string,
  make: (original: Op) => Op,
): LiveApp => {
  const original = LIVE_TRIGGERS[key]!;
  return {
    ...App,
    triggers: {
      ...App.triggers,
      [key]: { ...original, operation: { ...original.operation, [name]: make(liveOp(key, name)) } },
    },
  };
};

/** Sets (or, with undefined, removes) an auth field's help text; returns the field's key. */
export const setAuthHelp = (
  e: Evidence,
  index: number,
  helpText: (label: string) => string | undefined,
) => {
  const field = e.definition.authentication!.fields![index] as FieldDef;
  field.helpText = helpText(field.label ?? '');
  if (field.helpText === undefined) delete field.helpText;
  return `authentication.fields.${field.key}`;
};

/** Each case breaks a copy and returns the key the check must name. */
export type Breaker = (e: Evidence) => string | Promise<string>;

/** A broken case: the check, what is broken, what the check says, and how to break a copy. */
export type BrokenCase = [id: string, what: string, says: RegExp, breakIt: Breaker];
