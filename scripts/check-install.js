#!/usr/bin/env node
// What `npm ci`'s warnings would have said, checked where it matters. The project's .npmrc sets
// `loglevel=error` so that `npm ci` on an older system node is not drowned in EBADENGINE warnings
// (README: Quick start); this keeps the two real problems those warnings stand for visible, as
// a failing test (test/scripts/install.test.ts):
// - a package whose `engines.node` the pinned Node (the one npm scripts run on) does not satisfy;
// - a package with an install script that package.json's `allowScripts` does not declare.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver'); // installed with the dev tools (jest, eslint, the Zapier CLI)

const root = path.resolve(__dirname, '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** `<lockfile path> (needs node <range>)` for each installed package this node cannot run. */
const unsupportedEngines = (lock, nodeVersion) =>
  Object.entries(lock.packages)
    .filter(([at, entry]) => at !== '' && !entry.optional)
    .filter(([, entry]) => typeof entry.engines?.node === 'string')
    .filter(([, entry]) => !semver.satisfies(nodeVersion, entry.engines.node))
    .map(([at, entry]) => `${at} (needs node ${entry.engines.node})`);

/** The packages with an install script that `allowScripts` does not name (allowed or denied). */
const undeclaredScripts = (lock, allowScripts) =>
  Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([at]) => at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .filter(
      (name) =>
        !Object.keys(allowScripts ?? {}).some((key) => key.replace(/(.)@.*$/, '$1') === name),
    );

const main = () => {
  const lock = readJson('package-lock.json');
  const problems = [
    ...unsupportedEngines(lock, process.version).map(
      (p) => `${p}: Node ${process.versions.node} does not satisfy it`,
    ),
    ...undeclaredScripts(lock, readJson('package.json').allowScripts).map(
      (name) => `${name} has an install script that package.json's allowScripts does not declare`,
    ),
  ];
  for (const problem of problems) console.error(problem);
  return problems.length === 0 ? 0 : 1;
};

if (require.main === module) process.exitCode = main();

module.exports = { unsupportedEngines, undeclaredScripts };
