#!/usr/bin/env node
// Throwaway Redis and PostgreSQL servers for the shared stores' tests: each on a free port of
// 127.0.0.1, in its own temporary folder, removed when stopped. Redis keeps nothing on disk;
// PostgreSQL runs as the `postgres` user when this runs as root (it refuses root), from a data
// folder copied from one initdb per machine and PostgreSQL version (initdb takes seconds, a copy
// a tenth of one). scripts/servers/install.js installs them.
//   node scripts/servers/servers.js [command args…]
// starts both, runs the command with ISAO_REDIS_URL and ISAO_POSTGRES_URL set (or prints them
// and waits for Ctrl-C), then stops them.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, spawnSync } = require('node:child_process');
const { found } = require('./install');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The binaries, or an error saying how to install them. */
const binaries = () => {
  const { redis, postgres } = found();
  if (!redis || !postgres) {
    throw new Error(
      `No ${redis ? '' : 'redis-server '}${!redis && !postgres ? 'and no ' : ''}${postgres ? '' : 'PostgreSQL '}installed: run \`node scripts/servers/install.js\` (as root, it installs Debian's redis-server and postgresql).`,
    );
  }
  return { redis, postgres };
};

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Runs a command to its end; throws with its output when it fails. */
const run = (command, args) => {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  if (done.status !== 0) {
    throw new Error(
      `\`${[command, ...args].join(' ')}\` failed: ${done.stderr || done.stdout || done.error}`,
    );
  }
  return done.stdout;
};

/** runuser is in sbin, which a PATH (CI's, a login's without it) may leave out. */
const RUNUSER =
  ['/usr/sbin/runuser', '/sbin/runuser'].find((file) => fs.existsSync(file)) ?? 'runuser';

/** PostgreSQL's tools as the user it runs as: `postgres` under root, else the current one. */
const asPostgres = (bin, tool, args) =>
  isRoot
    ? run(RUNUSER, ['-u', 'postgres', '--', path.join(bin, tool), ...args])
    : run(path.join(bin, tool), args);

const owned = (dir) => {
  if (isRoot) run('chown', ['-R', 'postgres:postgres', dir]);
  return dir;
};

/** A folder initdb made once for this machine and PostgreSQL version: copied for each server. */
const template = (bin) => {
  const version = asPostgres(bin, 'postgres', ['--version'])
    .replace(/\W+/g, '-')
    .replace(/^-|-$/g, '');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = path.join(os.tmpdir(), `isao-pg-template-${uid}-${version}`);
  if (fs.existsSync(dir)) return dir;
  const base = owned(fs.mkdtempSync(path.join(os.tmpdir(), 'isao-pg-')));
  try {
    asPostgres(bin, 'initdb', [
      '-D',
      path.join(base, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    // a rename is atomic: a parallel run finds the whole template or none (and makes its own)
    fs.renameSync(path.join(base, 'data'), dir);
  } catch (error) {
    if (!fs.existsSync(dir)) throw error;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  return dir;
};

/** Starts redis-server on a free port, saving nothing; resolves once it accepts connections. */
const startRedis = async () => {
  const { redis } = binaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  let child;
  const start = () =>
    new Promise((resolve, reject) => {
      child = spawn(redis, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const fail = () => reject(new Error(`redis-server did not start: ${out}`));
      child.on('exit', fail);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) {
          child.off('exit', fail);
          resolve();
        }
      });
    });
  await start();
  const kill = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    /** Kills the server at once (SIGKILL): everything it held is gone. */
    kill,
    /** Starts it again on the same port, empty. */
    restart: start,
    stop: async () => {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Starts PostgreSQL on a free port; resolves once it accepts connections (pg_ctl -w). */
const startPostgres = async () => {
  const { postgres: bin } = binaries();
  const source = template(bin);
  const dir = owned(fs.mkdtempSync(path.join(os.tmpdir(), 'isao-pg-')));
  const data = path.join(dir, 'data');
  run('cp', ['-a', source, data]);
  owned(data);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => {
    asPostgres(bin, 'pg_ctl', [
      '-D',
      data,
      '-o',
      options,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  };
  const kill = () => {
    // immediate: the server quits at once, as on a crash (its open transactions are lost)
    if (fs.existsSync(path.join(data, 'postmaster.pid')))
      asPostgres(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    kill: async () => kill(),
    restart: async () => start(),
    stop: async () => {
      kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Both servers; stop() ends both. */
const startServers = async () => {
  const redis = await startRedis();
  try {
    const postgres = await startPostgres();
    return {
      redis,
      postgres,
      stop: () => Promise.all([redis.stop(), postgres.stop()]).then(() => undefined),
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
};

module.exports = { startRedis, startPostgres, startServers };

if (require.main === module) {
  startServers().then(
    (servers) => {
      const env = { ISAO_REDIS_URL: servers.redis.url, ISAO_POSTGRES_URL: servers.postgres.url };
      const [command, ...args] = process.argv.slice(2);
      let stopping = false;
      const stop = (code) => {
        if (stopping) return;
        stopping = true;
        servers.stop().then(() => process.exit(code));
      };
      process.on('SIGINT', () => stop(130));
      process.on('SIGTERM', () => stop(143));
      for (const [name, value] of Object.entries(env)) console.log(`${name}=${value}`);
      if (command === undefined) return console.log('servers: running; Ctrl-C stops them');
      const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
      child.on('exit', (code, signal) => stop(code ?? (signal ? 1 : 0)));
    },
    (error) => {
      console.error(`servers: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
