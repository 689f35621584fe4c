/**
 * The steps of a deploy: the app created once, then its connection, its webhooks and its modules,
 * every section uploaded, each webhook linked to the connection and each instant trigger to its
 * webhook. What Make answered is written in the state after every step, and a step whose content
 * the state already holds is not done again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JSONValue } from '@makehq/sdk';
import { quote } from '../core/inputs';
import { buildApp, MODULE_TYPE_IDS } from './app';
import { answerOf, type MakeCalls } from './deploy-calls';
import { digest, type DeployState } from './deploy-state';
import { MANIFEST } from './layout';
import { readManifest, sectionFiles, type DeployComponent } from './manifest';

/** Runs one step; a failure names the step (component, section) before what Make said. */
const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${what}: ${answerOf(error)}`, { cause: error });
  }
};

/** What one deploy did. */
export interface DeployResult {
  created: string[];
  uploaded: string[];
  unchanged: number;
}

/**
 * Deploys the app in `appDir` with `calls`, remembering in `state` (saved through `save` after
 * every create, so an interrupted run never creates twice).
 */
export const deployApp = async (
  appDir: string,
  calls: MakeCalls,
  state: DeployState,
  save: (state: DeployState) => void,
  log: (line: string) => void,
): Promise<DeployResult> => {
  const read = (file: string) => fs.readFileSync(path.join(appDir, file), 'utf8');
  const manifest = readManifest(read(MANIFEST));
  const result: DeployResult = { created: [], uploaded: [], unchanged: 0 };

  /** Runs `upload` only when `content` differs from what was last uploaded under `key`. */
  const upload = async (key: string, what: string, content: string, send: () => Promise<void>) => {
    const sum = digest(content);
    if (state.digests[key] === sum) {
      result.unchanged += 1;
      return;
    }
    log(`upload ${key}`);
    await step(what, send);
    state.digests[key] = sum;
    result.uploaded.push(key);
    save(state);
  };
  const created = (what: string, name: string) => {
    log(`create ${what} → ${name}`);
    result.created.push(what);
    save(state);
  };

  const meta = buildApp();
  let app = state.app;
  if (app) {
    const known = app;
    await step(`the app ${known.name} v${String(known.version)} in the map`, () =>
      calls.checkApp(known),
    );
  } else {
    const { name, label, description, theme, language } = meta;
    app = await step(`creating the app ${name}`, () =>
      calls.createApp({ name, label, description, theme, language, audience: 'global' }),
    );
    state.app = app;
    created('app', `${app.name} v${String(app.version)}`);
  }
  const ref = app;
  for (const section of ['base', 'groups', 'readme'] as const) {
    const file = manifest.general[section];
    const content = read(file);
    await upload(`app/${section}`, `app ${section} (${file})`, content, () =>
      section === 'readme'
        ? calls.setDocs(ref, content)
        : calls.setAppSection(ref, section, content),
    );
  }

  /** The name Make knows `of`'s `kind` by (`of` itself, or the one it refers to). */
  const remote = (of: DeployComponent, kind: DeployComponent['kind'], id?: string): string => {
    if (id === undefined) throw new Error(`makecomapp.json: ${of.kind} ${of.id} names no ${kind}`);
    const name = state.names[kind][id];
    if (name === undefined)
      throw new Error(`makecomapp.json names a ${kind} ${id} that is not in the app`);
    return name;
  };

  /**
   * Creates a component in Make with `links`: the name Make knows it by, and whether Make holds
   * the links (not when a module whose create was answered but not saved, the run killed in that
   * instant, is found already in Make and taken as it is).
   */
  const create = async (
    component: DeployComponent,
    links: Record<string, JSONValue>,
  ): Promise<{ name: string; linked: boolean }> => {
    const { kind, id, label } = component;
    if (kind === 'connection') {
      const type = component.connectionType ?? 'basic';
      return { name: await calls.createConnection(ref, { type, label }), linked: true };
    }
    if (kind === 'webhook') {
      const type = component.webhookType ?? 'web';
      return { name: await calls.createWebhook(ref, { ...links, type }), linked: true };
    }
    const moduleType = component.moduleType ?? '';
    const typeId = Object.entries(MODULE_TYPE_IDS).find(([type]) => type === moduleType)?.[1];
    if (typeId === undefined) {
      throw new Error(
        `makecomapp.json: module ${id} has a moduleType this deploy does not know: ${quote(moduleType)}`,
      );
    }
    try {
      await calls.createModule(ref, {
        ...links,
        name: id,
        typeId,
        // Make's API requires the kind of a universal module when it is created
        ...(moduleType === 'universal' ? { subtype: 'Universal' } : {}),
        // empty, as Make's tooling creates one: every section comes from the files
        moduleInitMode: 'blank',
      });
    } catch (error) {
      if (!(await calls.moduleExists(ref, id))) throw error;
      return { name: id, linked: false };
    }
    return { name: id, linked: true };
  };

  /**
   * What a component refers to and is called, as Make keeps it (label, description, the
   * connection, an instant trigger's webhook): sent when it is created, as Make's tooling does
   * (an instant trigger is created with its webhook), and again on any run where it changed.
   */
  const linksOf = (component: DeployComponent): Record<string, JSONValue> => {
    const { kind, label } = component;
    if (kind === 'connection') return { label };
    const connection = remote(component, 'connection', component.connection);
    if (kind === 'webhook') return { label, connection };
    return {
      label,
      description: component.description ?? label,
      connection,
      ...(component.webhook === undefined
        ? {}
        : { webhook: remote(component, 'webhook', component.webhook) }),
      // Stryker disable next-line ConditionalExpression: a crud of undefined is left out of the JSON the links are sent and digested as
      ...(component.actionCrud === undefined ? {} : { crud: component.actionCrud }),
    };
  };

  for (const component of manifest.components) {
    const { kind, id } = component;
    const links = linksOf(component);
    const linksKey = `${kind}/${id}/links`;
    let linked = false;
    if (state.names[kind][id] === undefined) {
      const made = await step(`creating ${kind} ${id}`, () => create(component, links));
      state.names[kind][id] = made.name;
      linked = made.linked;
      // what the create sent is what Make holds: no link call until it changes
      if (linked) state.digests[linksKey] = digest(JSON.stringify(links));
      created(`${kind} ${id}`, made.name);
    }
    const name = remote(component, kind, id);
    if (!linked) {
      await upload(linksKey, `${kind} ${id}, its label and links`, JSON.stringify(links), () =>
        kind === 'connection'
          ? calls.linkConnection(name, links)
          : kind === 'webhook'
            ? calls.linkWebhook(name, links)
            : calls.linkModule(ref, name, links),
      );
    }
    for (const [section, file] of sectionFiles(component)) {
      const content = read(file);
      const what = `${kind} ${id}, section ${section} (${file})`;
      await upload(`${kind}/${id}/${section}`, what, content, () =>
        kind === 'connection'
          ? calls.setConnectionSection(name, section, content)
          : kind === 'webhook'
            ? calls.setWebhookSection(name, section, content)
            : calls.setModuleSection(ref, name, section, content),
      );
    }
  }
  return result;
};
