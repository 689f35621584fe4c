// The production tree: the packages zapier-platform-core needs at run time, from
// package-lock.json, and the packages actually present in a folder (a stage, an unpacked zip).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { root, readJson } = require('./common');

/** Where node finds `name` when the package at lockfile path `from` requires it. */
const resolveIn = (packages, from, name) => {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
};

/**
 * The lockfile paths (`node_modules/…`) of the packages the app's dependencies need at run time:
 * their `dependencies`, `optionalDependencies` (when installed) and required peers, transitively.
 * Optional peers are not followed: node-fetch's optional peer `encoding` (and its `iconv-lite`)
 * is in node_modules only because the dev tooling installs it, and a plain `npm install` of
 * zapier-platform-core does not install it. Dev-only packages are never reached.
 */
const productionTree = (lockFile = path.join(root, 'package-lock.json')) => {
  const { packages } = readJson(lockFile);
  const rootPackage = packages[''] ?? {};
  const seen = new Map(); // lockfile path → version
  const visit = (from, name, optional) => {
    const at = resolveIn(packages, from, name);
    if (!at) {
      if (optional) return;
      throw new Error(`${name} (needed by ${from || 'the app'}) is not in package-lock.json`);
    }
    if (seen.has(at)) return;
    const entry = packages[at];
    seen.set(at, entry.version);
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      if (!optionalPeers[dep]?.optional) visit(at, dep, false);
    }
  };
  for (const name of Object.keys(rootPackage.dependencies ?? {})) visit('', name, false);
  return [...seen].map(([at, version]) => `${at}@${version}`).sort();
};

/**
 * The packages actually present under `dir`/node_modules, as `<lockfile path>@<version>`: every
 * package root (node_modules/<name> or node_modules/@scope/<name>, at any depth) that has a
 * package.json. Works on a staged folder and on an unpacked build.zip alike.
 */
const installedTree = (dir) => {
  const found = [];
  const walk = (nodeModules, prefix) => {
    if (!fs.existsSync(nodeModules)) return;
    for (const entry of fs.readdirSync(nodeModules, { withFileTypes: true })) {
      if (entry.name === '.bin' || entry.name.startsWith('.')) continue;
      const names = entry.name.startsWith('@')
        ? fs.readdirSync(path.join(nodeModules, entry.name)).map((n) => `${entry.name}/${n}`)
        : [entry.name];
      for (const name of names) {
        const at = `${prefix}node_modules/${name}`;
        const pkg = path.join(nodeModules, name, 'package.json');
        // npm normalises versions in the lockfile (json-metaschema's package.json says v1.3.0)
        if (fs.existsSync(pkg))
          found.push(`${at}@${String(readJson(pkg).version).replace(/^v/, '')}`);
        walk(path.join(nodeModules, name, 'node_modules'), `${at}/`);
      }
    }
  };
  walk(path.join(dir, 'node_modules'), '');
  return found.sort();
};

/** Throws, naming the differences, unless `actual` is exactly the production tree. */
const assertProductionTree = (actual, what) => {
  const expected = productionTree();
  const extra = actual.filter((p) => !expected.includes(p));
  const missing = expected.filter((p) => !actual.includes(p));
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(
      `${what}: node_modules is not zapier-platform-core's production tree` +
        (extra.length > 0 ? `\n  extra: ${extra.join(', ')}` : '') +
        (missing.length > 0 ? `\n  missing: ${missing.join(', ')}` : ''),
    );
  }
  return expected;
};

module.exports = { productionTree, installedTree, assertProductionTree };
