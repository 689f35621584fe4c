#!/usr/bin/env node
// The servers the shared de-duplication stores are tested on (test/sdk/stores/): Debian's
// `redis-server` and `postgresql`; and for the Python package's tests (python/, run by
// test/python/), Debian's /usr/bin/python3 with the python3-* packages they import (Debian's
// interpreter, not another python3 on PATH: only it sees Debian's packages). When all are
// installed it says so; when one is missing it installs what is missing with apt-get (as root:
// CI, and containers like this project's machines), and otherwise says in one line what to run.
// Never a silent skip: the tests need them.
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

/** The modules the Python tests import (and mypy, which they run), each with its Debian package. */
const PYTHON_MODULES = {
  pytest: 'python3-pytest',
  redis: 'python3-redis',
  psycopg2: 'python3-psycopg2',
  flask: 'python3-flask',
  fastapi: 'python3-fastapi',
  django: 'python3-django',
  uvicorn: 'python3-uvicorn',
  httpx: 'python3-httpx',
  build: 'python3-build',
  mypy: 'python3-mypy',
};

/** Debian's interpreter (another path only for this script's own test). */
const python = () => process.env.ISAO_SERVERS_PYTHON ?? '/usr/bin/python3';

/** The Debian packages of the modules python cannot import; python3 and all when it is absent. */
const pythonMissing = () => {
  const modules = Object.keys(PYTHON_MODULES);
  const check = spawnSync(
    python(),
    [
      '-c',
      'import importlib.util, sys; print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))',
      ...modules,
    ],
    { encoding: 'utf8' },
  );
  if (check.status !== 0) return ['python3', ...Object.values(PYTHON_MODULES)];
  return check.stdout
    .split(/\s+/)
    .filter((module) => module in PYTHON_MODULES)
    .map((module) => PYTHON_MODULES[module]);
};

/** The commands that install `packages`, as apt-get runs them unattended. */
const aptCommands = (packages) => [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', '--no-install-recommends', ...packages],
];
/** The servers' commands. */
const APT_COMMANDS = aptCommands(PACKAGES);

/** What is missing: the servers (both are installed when one is missing) and Python's. */
const missingOf = (have) => {
  const servers = [
    ...(have.redis ? [] : ['redis-server']),
    ...(have.postgres ? [] : ['postgresql']),
  ];
  const forPython = pythonMissing();
  return {
    names: [...servers, ...forPython],
    packages: [...(servers.length > 0 ? PACKAGES : []), ...forPython],
  };
};

/** `a`, `a and b`, `a, b and c`. */
const listed = (names) =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

const main = () => {
  let have = found();
  const { names, packages } = missingOf(have);
  if (names.length > 0) {
    const missing = listed(names);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || !onPath('apt-get')) {
      console.error(
        `servers: ${missing} not installed, and this ${isRoot ? 'machine has no apt-get' : 'user is not root'}: the store and Python tests need them. Install Debian's packages as root: apt-get install ${packages.join(' ')}`,
      );
      return 1;
    }
    console.log(`servers: ${missing} not installed: installing Debian's ${listed(packages)}`);
    for (const [command, ...args] of aptCommands(packages)) {
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
    const still = missingOf(have).names;
    if (still.length > 0) {
      console.error(`servers: still no ${listed(still)} after apt-get install`);
      return 1;
    }
  }
  console.log(
    `servers: redis-server (${have.redis}) and PostgreSQL (${have.postgres}) are installed`,
  );
  console.log(`servers: ${python()} imports ${Object.keys(PYTHON_MODULES).join(', ')}`);
  return 0;
};

module.exports = { found, postgresBin, APT_COMMANDS, PACKAGES, PYTHON_MODULES };

if (require.main === module) process.exitCode = main();
