#!/usr/bin/env node
// Builds build/build.zip and build/source.zip offline (the two files `zapier-platform upload`
// sends) and proves build.zip loads in Zapier's own handler.
//
// `zapier-platform build` copies the whole project, node_modules included; with the CLI and jest
// installed that exceeds this machine's open-file limit, and `--skip-dep-install` in place would
// zip every dev dependency's package.json. So: stage a copy holding only the compiled app and
// zapier-platform-core's production tree (copied from node_modules, no network), build there,
// bring build.zip back. source.zip is made from the project itself: the files the CLI would send.
//
// Both zips are byte-reproducible: the same commit gives the same bytes (fixed entry times and
// order, stable modes), so a reviewer can rebuild and compare hashes (docs/releasing.md).
//
// The steps live in scripts/zip/ (one file per job) and are exported here for the benchmarks
// (bench/) and the release tests (test/release/).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root } = require('./zip/common');
const { writeReproducibleZip } = require('./zip/reproducible');
const { productionTree, installedTree } = require('./zip/tree');
const { APP_FILES, stageApp, buildZip, unpackZip, checkZip } = require('./zip/build');
const {
  sourceSelection,
  sourceFiles,
  writeSourceZip,
  zipEntries,
  checkSourceZip,
} = require('./zip/source');

const main = () => {
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-stage-'));
  try {
    stageApp({ stage });
    buildZip(stage, path.join(root, 'build', 'build.zip'));
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  const target = path.join(root, 'build', 'build.zip');
  const source = writeSourceZip(path.join(root, 'build', 'source.zip'));
  const loaded = checkZip(target);
  const entries = checkSourceZip(source);
  const rel = (file) => path.relative(root, file);
  console.log(
    `${rel(target)}: ${fs.statSync(target).size} bytes; loads in zapierwrapper.js: version ` +
      `${loaded.version}, platform ${loaded.platformVersion}, ${loaded.triggers.length} triggers, ` +
      `${loaded.creates.length} creates; node_modules: core's production tree ` +
      `(${loaded.packages.length} packages)`,
  );
  console.log(`${rel(source)}: ${fs.statSync(source).size} bytes, ${entries.length} files`);
  const { untracked } = sourceSelection();
  if (untracked.length > 0)
    console.log(`not in source.zip (not tracked by git): ${untracked.join(', ')}`);
  console.log('Upload both with `npx zapier-platform upload` (see docs/releasing.md).');
};

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`npm run zip: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

module.exports = {
  root,
  APP_FILES,
  productionTree,
  installedTree,
  stageApp,
  buildZip,
  unpackZip,
  checkZip,
  sourceFiles,
  writeSourceZip,
  zipEntries,
  checkSourceZip,
  writeReproducibleZip,
};
