/**
 * What the check rules judge, gathered offline:
 * - the definition as Zapier sees it: core's own Lambda handler (`createAppHandler`, the one
 *   zapierwrapper.js uses) run on index.js with `{command: 'definition'}`, i.e. the compiled
 *   dist/ app, serialised exactly as `zapier-platform validate` sends it to zapier.com;
 * - what the live app (src/, through createAppTester) does with its own samples, with nock
 *   standing in for every HTTP request: the body each hook trigger subscribes with, and the
 *   records perform / performList / a create's perform produce from the sample.
 *
 * `npx jest` on its own: the definition comes from dist/, which `npm test` builds first (the
 * CLI's `_zapier-build`). Without a build, or with dist/ older than src/ (their static
 * definitions differ), loading fails with "run `npm run build` first" instead of checking
 * stale code.
 *
 * Under StrykerJS (`npm run mutate`) the definition is src/'s own: there src/ is the mutated
 * copy and dist/ is not in the sandbox, so the checks judge the mutant itself (a mutant that
 * breaks a label or a sample fails the check that guards it, not a staleness guard).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { createAppTester } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import App from '../../src';
import { authData } from '../helpers';
import {
  ACTION_TYPES,
  components,
  flatten,
  isObject,
  type ActionType,
  type Definition,
  type Evidence,
  type FieldDef,
  type Produced,
  MINIMAL_RUN,
} from './definition';
import { hookBundle } from '../../sandbox/hook-bundle';
import { createAppHandler } from '../../sandbox/local-zapier';

const ROOT = path.resolve(__dirname, '../..');
const BUILD_FIRST = 'Run `npm run build` first (`npm test` builds before it runs jest)';

/** The serialised definition core's handler produces for an app (a path or the app itself). */
const definitionOf = async (app: string | object): Promise<Definition> =>
  // calledFromCli: as the CLI's own `definition` call; it also keeps core from patching `http`
  (await createAppHandler(app)({ command: 'definition', calledFromCli: true }))
    .results as Definition;

/** Whether this is a StrykerJS worker (`npm run mutate`): it sets this in every worker process. */
export const underStryker = (): boolean => process.env.STRYKER_MUTATOR_WORKER !== undefined;

/** The compiled app's definition, refusing a missing or stale dist/ (src/'s under StrykerJS). */
export const loadDefinition = async (): Promise<Definition> => {
  if (underStryker()) return definitionOf(App);
  let compiled: Definition;
  try {
    compiled = await definitionOf(path.join(ROOT, 'index.js'));
  } catch (error) {
    throw new Error(
      `The compiled app (index.js → dist/) did not load. ${BUILD_FIRST}.\n${String(error)}`,
    );
  }
  const fromSource = await definitionOf(App);
  if (JSON.stringify(compiled) !== JSON.stringify(fromSource)) {
    throw new Error(`dist/ is out of date: its definition differs from src/. ${BUILD_FIRST}.`);
  }
  return compiled;
};

// ---------------------------------------------------------------------------------------------
// The live app, offline

export type Operation = (z: ZObject, bundle: Bundle) => unknown;
type Tester = ReturnType<typeof createAppTester>;

/**
 * The app's functions: src/'s app by default; a test may pass a deliberately broken copy, with
 * components the real one lacks, so any app object (its operations are read by operationOf).
 */
export type LiveApp = object;

/** One live operation of an app, run through the real core runtime. */
export const operationOf = (
  app: LiveApp,
  type: ActionType,
  key: string,
  name: string,
): Operation | undefined => {
  const group: unknown = Reflect.get(app, type);
  const component = isObject(group) ? group[key] : undefined;
  const operation = isObject(component) ? component.operation : undefined;
  const fn = isObject(operation) ? operation[name] : undefined;
  return typeof fn === 'function' ? (fn as Operation) : undefined;
};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Answers every HTTP request, to any host, with `reply`; returns the bodies that were sent. */
const answerEverything = (reply: unknown): unknown[] => {
  const sent: unknown[] = [];
  for (const method of METHODS) {
    nock(/.*/)
      .persist()
      .intercept(/.*/, method, (body: unknown) => {
        sent.push(body);
        return true;
      })
      .reply(200, reply as nock.Body);
  }
  return sent;
};

const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** Runs an operation with every request answered by `reply`; cleans its mocks up after. */
const runOffline = async (
  tester: Tester,
  operation: Operation,
  bundle: Record<string, unknown>,
  reply: unknown,
): Promise<{ sent: unknown[]; result: Produced }> => {
  const sent = answerEverything(reply);
  try {
    const out = await tester(operation, { authData, ...bundle } as never);
    return { sent, result: { records: Array.isArray(out) ? out : [out] } };
  } catch (error) {
    return { sent, result: { error: messageOf(error) } };
  } finally {
    nock.cleanAll();
  }
};

/** Input for a create/search taken from its own sample (and field defaults). */
const inputFromSample = (fields: unknown, sample: unknown): Record<string, unknown> => {
  const flat = flatten(sample);
  const list = Array.isArray(fields) ? fields.filter((f): f is FieldDef => isObject(f)) : [];
  return Object.fromEntries(
    list
      .map((field) => [field.key, flat[field.key] ?? field.default] as const)
      .filter(([, value]) => value !== undefined),
  );
};

/** The body each hook trigger's performSubscribe sends (the API's answer is not needed). */
const subscriptions = async (
  definition: Definition,
  app: LiveApp,
  tester: Tester,
): Promise<Record<string, unknown>> => {
  const out: Record<string, unknown> = {};
  for (const { type, key, action } of components(definition)) {
    if (type !== 'triggers' || action.operation.type !== 'hook') continue;
    const subscribe = operationOf(app, type, key, 'performSubscribe');
    if (!subscribe) continue;
    const { sent } = await runOffline(
      tester,
      subscribe,
      { targetUrl: 'https://hooks.zapier.com/hooks/standard/1/checks' },
      { id: 'sub_checks', subscription_id: 'sub_checks' },
    );
    out[key] = sent[0];
  }
  return out;
};

/** The least a live record carries; what an operation makes of it is checked by LIVE. */
const MINIMAL = { id: 'minimal_1' };

/** What each component's operations produce from its own static sample (T004, LIVE). */
const produced = async (
  definition: Definition,
  app: LiveApp,
  tester: Tester,
): Promise<Evidence['produced']> => {
  const out: NonNullable<Evidence['produced']> = {};
  for (const { type, key, path: where, action } of components(definition)) {
    const { sample } = action.operation;
    if (!isObject(sample)) continue;
    /** Runs operation `name`, recording its result as `as` (MINIMAL_RUN runs perform). */
    const run = async (
      name: string,
      bundle: Record<string, unknown>,
      reply: unknown,
      as: string = name,
    ) => {
      const operation = operationOf(app, type, key, name);
      if (!operation) return;
      (out[where] ??= {})[as] = (await runOffline(tester, operation, bundle, reply)).result;
    };
    if (type === 'triggers') {
      // perform: the sample delivered as the webhook; performList: the API listing the sample
      await run('perform', { ...hookBundle(JSON.stringify(sample)) }, [sample]);
      if (action.operation.type === 'hook') await run('performList', {}, [sample]);
      // LIVE: a minimal live record (only an id) delivered as the webhook
      await run('perform', { ...hookBundle(JSON.stringify(MINIMAL)) }, [MINIMAL], MINIMAL_RUN);
    } else {
      // a create/search: input taken from the sample, the API answering with the sample
      const inputData = inputFromSample(action.operation.inputFields, sample);
      await run('perform', { inputData }, sample);
      // LIVE: the API answering with a minimal record (only an id)
      await run('perform', { inputData }, MINIMAL, MINIMAL_RUN);
    }
  }
  return out;
};

/** Each src/<kind>/*.ts module (index.ts aside) and the key it declares. */
const modules = async (): Promise<NonNullable<Evidence['modules']>> => {
  const found: NonNullable<Evidence['modules']> = [];
  for (const type of ACTION_TYPES) {
    const dir = path.join(ROOT, 'src', type);
    const files = existsSync(dir) ? readdirSync(dir) : [];
    for (const name of files.filter((n) => n.endsWith('.ts') && n !== 'index.ts')) {
      const file = name.replace(/\.ts$/, '');
      const { default: declared } = (await import(path.join(dir, file))) as {
        default?: { key?: unknown };
      };
      found.push({ type, file, key: typeof declared?.key === 'string' ? declared.key : '(none)' });
    }
  }
  return found;
};

/** The parts of the evidence that come from running the live app. */
export const LIVE_PARTS = ['subscriptions', 'produced'] as const;
export type LivePart = (typeof LIVE_PARTS)[number];

/** What the live app does offline for each component of the definition (all parts, or some). */
export const liveEvidence = async (
  definition: Definition,
  app: LiveApp = App,
  parts: readonly LivePart[] = LIVE_PARTS,
): Promise<Pick<Evidence, LivePart>> => {
  const tester = createAppTester(app);
  return {
    ...(parts.includes('subscriptions')
      ? { subscriptions: await subscriptions(definition, app, tester) }
      : {}),
    ...(parts.includes('produced') ? { produced: await produced(definition, app, tester) } : {}),
  };
};

/** How many times each src/ file throws a HaltedError, read from the source text. */
export const haltsIn = (root = path.join(ROOT, 'src')): Record<string, number> => {
  const out: Record<string, number> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const count = readFileSync(full, 'utf8').match(/\bHaltedError\(/g)?.length ?? 0;
        if (count > 0) out[path.relative(ROOT, full).split(path.sep).join('/')] = count;
      }
    }
  };
  walk(root);
  return out;
};

/**
 * What the checks judge without running the app's operations: the definition, each module's
 * key and the halts in the source. The live parts come from `liveEvidence`.
 */
export const staticEvidence = async (): Promise<Evidence> => ({
  definition: await loadDefinition(),
  modules: await modules(),
  halts: haltsIn(),
});
