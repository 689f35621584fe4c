#!/usr/bin/env node
// What `npm ci`'s warnings would have said, checked where it matters. The project's .npmrc sets
// `loglevel=error` so that `npm ci` on an older system node is not drowned in EBADENGINE warnings
// (README: Quick start); this keeps the two real problems those warnings stand for visible, as
// a failing test (test/scripts/install.test.ts):
// - a package whose `engines.node` the pinned Node (the one npm scripts run on) does not satisfy;
// - a package with an install script that package.json's `allowScripts` does not declare.
// A package whose install script `allowScripts` denies (`false`) is exempt from the engine check:
// denying it says the project installs it for a dependency but never builds or runs it here
// (n8n-workflow's isolated-vm wants Node >= 24 and is loaded only inside a running n8n).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver'); // installed with the dev tools (jest, eslint, the Zapier CLI)

const root = path.resolve(__dirname, '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** The package name at a lockfile path (`node_modules/a/node_modules/@b/c` → `@b/c`). */
const packageName = (at) => at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** The package name an `allowScripts` key names (`esbuild@0.25.8` → `esbuild`, `@b/c` as is). */
const declaredName = (key) => key.replace(/(.)@.*$/, '$1');

/** The names `allowScripts` declares, with the given verdict (true: allowed, false: denied). */
const declaredNames = (allowScripts, verdict) =>
  Object.entries(allowScripts ?? {})
    .filter(([, allowed]) => verdict === undefined || allowed === verdict)
    .map(([key]) => declaredName(key));

/**
 * `<lockfile path> (needs node <range>)` for each installed package this node cannot run: not
 * optional ones, and not those whose install script `allowScripts` denies (never run here).
 */
const unsupportedEngines = (lock, nodeVersion, allowScripts) => {
  const denied = declaredNames(allowScripts, false);
  return Object.entries(lock.packages)
    .filter(([at, entry]) => at !== '' && !entry.optional)
    .filter(([at]) => !denied.includes(packageName(at)))
    .filter(([, entry]) => typeof entry.engines?.node === 'string')
    .filter(([, entry]) => !semver.satisfies(nodeVersion, entry.engines.node))
    .map(([at, entry]) => `${at} (needs node ${entry.engines.node})`);
};

/** The packages with an install script that `allowScripts` does not name (allowed or denied). */
const undeclaredScripts = (lock, allowScripts) => {
  const declared = declaredNames(allowScripts, undefined);
  return Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([at]) => packageName(at))
    .filter((name) => !declared.includes(name));
};

const main = () => {
  const lock = readJson('package-lock.json');
  const { allowScripts } = readJson('package.json');
  const problems = [
    ...unsupportedEngines(lock, process.version, allowScripts).map(
      (p) => `${p}: Node ${process.versions.node} does not satisfy it`,
    ),
    ...undeclaredScripts(lock, allowScripts).map(
      (name) => `${name} has an install script that package.json's allowScripts does not declare`,
    ),
  ];
  for (const problem of problems) console.error(problem);
  return problems.length === 0 ? 0 : 1;
};

if (require.main === module) process.exitCode = main();

module.exports = { unsupportedEngines, undeclaredScripts };
