/**
 * The committed Make app's sections, found by what they are for (an event's webhook and trigger,
 * a module by id), for the tests that run them through the IML evaluator (test/make/iml/).
 */
import type { IsaoEvent } from '../../core/events';
import type { DeployComponent } from '../../make/manifest';
import { code, components, manifest, readJson, record } from './app-files';
import type { Origin } from './iml/runtime';

export type Section = Record<string, unknown>;

export const section = (component: DeployComponent, name: string): Section =>
  record(code(component, name), `${component.id} ${name}`);

/** The base every module and webhook call inherits (a connection's does not). */
export const WITH_BASE: Origin = { base: record(readJson(manifest.general.base), 'base') };
export const WITHOUT_BASE: Origin = { base: undefined };

export const moduleNamed = (id: string): DeployComponent => {
  const found = components('module').find((m) => m.id === id);
  if (!found) throw new Error(`no module ${id}`);
  return found;
};

export const [connection] = components('connection');

/** The webhook that subscribes to an event (its attach call's `event`), and its trigger. */
export const forEvent = (event: IsaoEvent): { hook: DeployComponent; trigger: DeployComponent } => {
  const hook = components('webhook').find(
    (h) => record(section(h, 'attach').body, `${h.id} attach body`).event === event,
  );
  const trigger = components('module').find((m) => hook && m.webhook === hook.id);
  if (!hook || !trigger) throw new Error(`no webhook and trigger for ${event}`);
  return { hook, trigger };
};

/** The parameter list of a section (a module's mappable parameters, a webhook's parameters). */
export const paramsOf = (component: DeployComponent, name: string): Section[] => {
  const value = code(component, name);
  if (!Array.isArray(value)) throw new Error(`${component.id} ${name} is not a list`);
  return value.map((param, i) => record(param, `${component.id} ${name}[${String(i)}]`));
};
