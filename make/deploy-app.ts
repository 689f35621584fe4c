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
import type { MakeCalls } from './deploy-calls';
import { digest, type DeployState } from './deploy-state';
import { CODES, MANIFEST } from './layout';
import { readManifest, type DeployComponent } from './manifest';

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
  const manifest = readManifest(fs.readFileSync(path.join(appDir, MANIFEST), 'utf8'));
  const read = (file: string) => fs.readFileSync(path.join(appDir, file), 'utf8');
  const result: DeployResult = { created: [], uploaded: [], unchanged: 0 };

  /** Runs `upload` only when `content` differs from what was last uploaded under `key`. */
  const upload = async (key: string, content: string, send: () => Promise<void>) => {
    const sum = digest(content);
    if (state.digests[key] === sum) {
      result.unchanged += 1;
      return;
    }
    log(`upload ${key}`);
    await send();
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
    await calls.checkApp(app);
  } else {
    const { name, label, description, theme, language } = meta;
    app = await calls.createApp({ name, label, description, theme, language, audience: 'global' });
    state.app = app;
    created('app', `${app.name} v${String(app.version)}`);
  }
  const ref = app;
  await upload('app/base', read(manifest.general.base), () =>
    calls.setAppSection(ref, 'base', read(manifest.general.base)),
  );
  await upload('app/groups', read(manifest.general.groups), () =>
    calls.setAppSection(ref, 'groups', read(manifest.general.groups)),
  );
  await upload('app/readme', read(manifest.general.readme), () =>
    calls.setDocs(ref, read(manifest.general.readme)),
  );

  const remote = (kind: DeployComponent['kind'], id: string | undefined): string => {
    const name = id === undefined ? undefined : state.names[kind][id];
    if (name === undefined)
      throw new Error(`makecomapp.json names a ${kind} ${String(id)} that is not in the app`);
    return name;
  };

  for (const component of manifest.components) {
    const { kind, id, label } = component;
    if (state.names[kind][id] === undefined) {
      if (kind === 'connection') {
        state.names.connection[id] = await calls.createConnection(ref, {
          type: component.connectionType ?? 'basic',
          label,
        });
      } else if (kind === 'webhook') {
        state.names.webhook[id] = await calls.createWebhook(ref, {
          type: component.webhookType ?? 'web',
          label,
        });
      } else {
        const moduleType = component.moduleType ?? '';
        if (!Object.hasOwn(MODULE_TYPE_IDS, moduleType)) {
          throw new Error(
            `makecomapp.json: module ${id} has a moduleType this deploy does not know: ${quote(moduleType)}`,
          );
        }
        const typeId =
          Object.entries(MODULE_TYPE_IDS).find(([type]) => type === moduleType)?.[1] ?? 0;
        await calls.createModule(ref, {
          name: id,
          typeId,
          label,
          description: component.description ?? label,
          // Make's API requires the kind of a universal module when it is created
          ...(moduleType === 'universal' ? { subtype: 'Universal' } : {}),
        });
        state.names.module[id] = id;
      }
      created(`${kind} ${id}`, remote(kind, id));
    }
    const name = remote(kind, id);
    if (kind === 'webhook') {
      const links = { label, connection: remote('connection', component.connection) };
      await upload(`webhook/${id}/links`, JSON.stringify(links), () =>
        calls.linkWebhook(name, links),
      );
    }
    if (kind === 'module') {
      const links: Record<string, JSONValue> = {
        label,
        description: component.description ?? label,
        connection: remote('connection', component.connection),
        ...(component.webhook === undefined
          ? {}
          : { webhook: remote('webhook', component.webhook) }),
        ...(component.actionCrud === undefined ? {} : { crud: component.actionCrud }),
      };
      await upload(`module/${id}/links`, JSON.stringify(links), () =>
        calls.linkModule(ref, name, links),
      );
    }
    const sections: Readonly<Record<string, readonly [string, string]>> = CODES[kind];
    for (const [code, file] of Object.entries(component.codeFiles)) {
      const section = sections[code]?.[1];
      if (section === undefined) continue;
      const content = read(file);
      await upload(`${kind}/${id}/${section}`, content, () =>
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
