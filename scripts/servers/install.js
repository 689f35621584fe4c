#!/usr/bin/env node
// The servers the shared de-duplication stores are tested on (test/sdk/stores/): Debian's
// `redis-server` and `postgresql`. When they are installed it says so; when one is missing it
// installs both with apt-get (as root: CI, and containers like this project's machines), and
// otherwise says in one line what to run. Never a silent skip: the store tests need them.
// Run by `npm test`'s pretest hook and by CI's "== servers" step.
//   node scripts/servers/install.js
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** Debian's packages, and what each puts where. */
const PACKAGES = ['redis-server', 'postgresql'];

/** Where Debian installs each PostgreSQL major version (`<root>/<version>/bin`). */
const pgRoot = () => process.env.ISAO_SERVERS_PG_ROOT ?? '/usr/lib/postgresql';

/** The first executable `name` on PATH, or undefined. */
const onPath = (name) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find((file) => {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });

/** The bin folder of the newest PostgreSQL installed (with initdb, pg_ctl), or undefined. */
const postgresBin = () => {
  let versions = [];
  try {
    versions = fs.readdirSync(pgRoot()).filter((v) => /^\d+$/.test(v));
  } catch {
    return undefined;
  }
  return versions
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(pgRoot(), v, 'bin'))
    .find(
      (bin) => fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl')),
    );
};

/** What is installed: the redis-server and the PostgreSQL bin folder, each or undefined. */
const found = () => ({ redis: onPath('redis-server'), postgres: postgresBin() });

/** The commands that install the packages, as apt-get runs them unattended. */
const APT_COMMANDS = [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', '--no-install-recommends', ...PACKAGES],
];

const missingOf = (have) => [
  ...(have.redis ? [] : ['redis-server']),
  ...(have.postgres ? [] : ['postgresql']),
];

const main = () => {
  let have = found();
  if (missingOf(have).length > 0) {
    const missing = missingOf(have).join(' and ');
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || !onPath('apt-get')) {
      console.error(
        `servers: ${missing} not installed, and this ${isRoot ? 'machine has no apt-get' : 'user is not root'}: the store tests need them. Install Debian's packages as root: apt-get install ${PACKAGES.join(' ')}`,
      );
      return 1;
    }
    console.log(`servers: ${missing} not installed: installing Debian's ${PACKAGES.join(' and ')}`);
    for (const [command, ...args] of APT_COMMANDS) {
      const run = spawnSync(command, args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (run.status !== 0) {
        console.error(`servers: \`${[command, ...args].join(' ')}\` failed (exit ${run.status})`);
        return 1;
      }
    }
    have = found();
    if (missingOf(have).length > 0) {
      console.error(`servers: still no ${missingOf(have).join(' and ')} after apt-get install`);
      return 1;
    }
  }
  console.log(
    `servers: redis-server (${have.redis}) and PostgreSQL (${have.postgres}) are installed`,
  );
  return 0;
};

module.exports = { found, postgresBin, APT_COMMANDS, PACKAGES };

if (require.main === module) process.exitCode = main();
