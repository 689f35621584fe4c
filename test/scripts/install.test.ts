/**
 * What `npm ci`'s warnings stood for, now that the project's .npmrc keeps them out of its output
 * (README: Quick start): scripts/check-install.js fails when the pinned Node cannot run an
 * installed package, or when a package's install script is not declared in `allowScripts`.
 */
import { undeclaredScripts, unsupportedEngines, type LockFile } from '../../scripts/check-install';
import { runLine } from './run-script';

const lock: LockFile = {
  packages: {
    '': { engines: { node: '>=22' } },
    'node_modules/babel-core': { engines: { node: '^22.18.0 || >=24.11.0' } },
    'node_modules/future': { engines: { node: '>=24' } },
    'node_modules/optional-native': { engines: { node: '>=99' }, optional: true },
    'node_modules/node': { hasInstallScript: true },
    'node_modules/a/node_modules/esbuild': { hasInstallScript: true },
    'node_modules/canvas': { hasInstallScript: true },
  },
};

test('names each installed package the pinned Node cannot run (not optional ones)', () => {
  expect(unsupportedEngines(lock, 'v22.23.3', undefined)).toEqual([
    'node_modules/future (needs node >=24)',
  ]);
  expect(unsupportedEngines(lock, 'v20.20.2', { future: true })).toEqual([
    'node_modules/babel-core (needs node ^22.18.0 || >=24.11.0)',
    'node_modules/future (needs node >=24)',
  ]);
});

test('leaves out a package whose install script allowScripts denies: it is never run here', () => {
  expect(unsupportedEngines(lock, 'v22.23.3', { future: false })).toEqual([]);
  expect(unsupportedEngines(lock, 'v22.23.3', { 'future@1.0.0': false, node: true })).toEqual([]);
  expect(unsupportedEngines(lock, 'v20.20.2', { 'babel-core': false })).toEqual([
    'node_modules/future (needs node >=24)',
  ]);
});

test('names each install script allowScripts does not declare, by name or pinned', () => {
  expect(undeclaredScripts(lock, { node: true, 'esbuild@0.25.8': true })).toEqual(['canvas']);
  expect(undeclaredScripts(lock, { canvas: false, node: true, esbuild: true })).toEqual([]);
  expect(undeclaredScripts(lock, undefined)).toEqual(['node', 'esbuild', 'canvas']);
});

test("this project's install passes: every engine met on the pinned Node, every script declared", () => {
  expect(runLine(`"${process.execPath}" scripts/check-install.js`)).toEqual({
    status: 0,
    output: '',
  });
});
