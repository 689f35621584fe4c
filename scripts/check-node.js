#!/usr/bin/env node
// Run before the npm scripts that need the project's pinned Node 22 (package.json `pre*`): says
// in one line why it is missing instead of letting the Zapier CLI or jest fail on the system node.
// Plain JavaScript for any node: it runs on whatever `node` npm found.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const pinned = path.join(__dirname, '..', 'node_modules', 'node', 'bin', 'node');
  console.error(
    fs.existsSync(pinned)
      ? `This runs on Node ${process.versions.node}, not the project's pinned Node 22: run it through npm (npm run …, npx …), which puts node_modules/.bin first on PATH.`
      : `The pinned Node 22 is not installed (node_modules/node/bin/node is missing: \`npm ci --ignore-scripts\` skips its install script): run \`npm rebuild node\`.`,
  );
  process.exit(1);
}
