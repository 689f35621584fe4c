/**
 * The references the bench measures against.
 *
 * - bare: a core-19 app with one no-op hook trigger whose perform hands back the webhook's record
 *   untouched, installed in its own folder with only zapier-platform-core (`npm install`) and
 *   built the usual way, with `zapier-platform build` (which copies it to a temporary folder and
 *   installs its production dependencies there). Nothing comes from this project's node_modules
 *   but the CLI that builds it. Built once and cached under bench/.work/bare-ref/<key>.
 * - noop: our own build.zip carrying our definition with every function a no-op (a perform hands
 *   back the webhook's record, anything else returns {}): the floor for what our code adds, since
 *   core spends the same on our definition (its compile, its size in the heap). The per-event ratio
 *   and the cold-start target compare against it; the ratio against bare measures the definition.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BARE_TRIGGER = 'noop';
export const CORE_VERSION = '19.1.0';

const INDEX_JS = `// A bare zapier-platform-core ${CORE_VERSION} app: one no-op hook trigger.
const { version } = require('zapier-platform-core');

module.exports = {
  version: '1.0.0',
  platformVersion: version,
  triggers: {
    ${BARE_TRIGGER}: {
      key: '${BARE_TRIGGER}',
      noun: 'Event',
      display: { label: 'New Event', description: 'Triggers when an event arrives.' },
      operation: {
        type: 'hook',
        // the least a hook trigger does: hand Zapier the webhook's record as it came
        perform: (z, bundle) => [bundle.cleanedRequest.data],
        performSubscribe: () => ({}),
        performUnsubscribe: () => ({}),
        performList: () => [],
        sample: { id: '1' },
      },
    },
  },
};
`;

const PACKAGE_JSON = {
  name: 'bare-core-19',
  version: '1.0.0',
  description: 'A bare zapier-platform-core 19 app: the benchmarks reference.',
  main: 'index.js',
  private: true,
  dependencies: { 'zapier-platform-core': CORE_VERSION },
};

/**
 * core's own `.mjs` entry points (`require.mjs` of some of its dependencies) are not found by the
 * CLI's dependency detection: without them the CLI's own load test of the zip fails. Any core-19
 * app needs this line in its .zapierapprc, ours included.
 */
const APPRC = { includeInBuild: ['node_modules/.*/require\\.mjs$'] };

export interface BareReference {
  zip: string;
  /** What the reference's own `npm install` put in node_modules (lockfile paths @ versions). */
  packages: string[];
  /** True when this run built it, false when it came from the cache. */
  built: boolean;
}

const packagesOf = (lockFile: string): string[] => {
  const { packages } = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  return Object.entries(packages)
    .filter(([at]) => at !== '')
    .map(([at, entry]) => `${at}@${entry.version ?? '?'}`)
    .sort();
};

/**
 * The bare reference's build.zip: from the cache under `work` when it is there for this core,
 * this CLI and this app source; otherwise installed and built now (needs the npm registry, or
 * npm's cache), once.
 */
export const bareReference = (
  work: string,
  cli: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): BareReference => {
  const cliVersion = (
    JSON.parse(
      fs.readFileSync(
        path.join(path.dirname(cli), '..', 'zapier-platform-cli', 'package.json'),
        'utf8',
      ),
    ) as { version: string }
  ).version;
  const key = createHash('sha256')
    .update(JSON.stringify([INDEX_JS, PACKAGE_JSON, APPRC, cliVersion]))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(work, 'bare-ref', `core-${CORE_VERSION}-cli-${cliVersion}-${key}`);
  const zip = path.join(dir, 'build', 'build.zip');
  const lockFile = path.join(dir, 'package-lock.json');
  if (fs.existsSync(zip) && fs.existsSync(lockFile)) {
    return { zip, packages: packagesOf(lockFile), built: false };
  }
  log(`building the bare reference once (cached in ${path.relative(process.cwd(), dir)})…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(PACKAGE_JSON, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'index.js'), INDEX_JS);
  fs.writeFileSync(path.join(dir, '.zapierapprc'), `${JSON.stringify(APPRC, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\nbuild\n');
  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  log('  npm install (zapier-platform-core only)…');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
  log('  zapier-platform build (its default: a temporary copy, `npm install --production`)…');
  run(cli, ['build', '--skip-validation']);
  return { zip, packages: packagesOf(lockFile), built: true };
};

/**
 * Adds the noop variant next to an unpacked build.zip of ours: `noop/index.js` (our definition,
 * every function in it a no-op: a perform the bare app's, anything else `() => ({})`) and a copy
 * of zapierwrapper.js that loads it. Returns the variant's zapierwrapper.js.
 */
export const writeNoopVariant = (unpacked: string): string => {
  const dir = path.join(unpacked, 'noop');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(unpacked, 'zapierwrapper.js'), path.join(dir, 'zapierwrapper.js'));
  const index = `// Our definition with every function a no-op (bench/bare-app.ts).
const app = require('../index.js');
const noop = (z, bundle) => [bundle.cleanedRequest.data];
const nothing = () => ({});
const emptied = (value, key) => {
  if (typeof value === 'function') return key === 'perform' ? noop : nothing;
  if (Array.isArray(value)) return value.map((item) => emptied(item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, emptied(v, k)]));
};
module.exports = emptied(app);
`;
  fs.writeFileSync(path.join(dir, 'index.js'), index);
  return path.join(dir, 'zapierwrapper.js');
};
