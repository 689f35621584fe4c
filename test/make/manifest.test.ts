/**
 * makecomapp.json as the deploy reads it: every component kind Make's manifest schema requires is
 * there, and what the deploy could not deploy as Make's tooling would (a kind it does not deploy,
 * an instant trigger without its webhook) stops it before any call, with a sentence naming it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_DIR } from '../../make/generate';
import { MANIFEST } from '../../make/layout';
import { readManifest } from '../../make/manifest';
import { record } from './app-files';

const text = fs.readFileSync(path.join(APP_DIR, MANIFEST), 'utf8');
const parsed = (): Record<string, unknown> => record(JSON.parse(text), MANIFEST);

test('the manifest lists every kind of component Make’s schema requires, endpoints included', () => {
  const kinds = ['connection', 'endpoint', 'function', 'module', 'rpc', 'webhook'];
  expect(Object.keys(record(parsed().components, 'components')).sort()).toEqual(kinds);
  const [origin] = JSON.parse(text).origins;
  expect(Object.keys(origin.idMapping).sort()).toEqual(kinds);
});

test.each(['endpoint', 'rpc', 'function'])(
  'a component of kind %s in the manifest stops the deploy: it deploys none',
  (kind) => {
    const manifest = parsed();
    const components = record(manifest.components, 'components');
    components[kind] = { listContacts: { label: 'List', codeFiles: {} } };
    expect(() => readManifest(JSON.stringify(manifest))).toThrow(
      `makecomapp.json: components.${kind} holds listContacts, and this deploy does not deploy a ${kind}`,
    );
  },
);

test('an instant trigger without its webhook stops the deploy', () => {
  const manifest = parsed();
  const modules = record(record(manifest.components, 'components').module, 'module');
  delete record(modules.watchDealWon, 'watchDealWon').webhook;
  expect(() => readManifest(JSON.stringify(manifest))).toThrow(
    'makecomapp.json: components.module.watchDealWon is an instant trigger without its webhook',
  );
});
