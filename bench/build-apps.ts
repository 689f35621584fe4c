/**
 * The apps the bench measures: our build/build.zip (the steps of `npm run zip`, staged outside the
 * project), the bare core-19 reference (built once, cached), both unpacked as the Lambda unpacks
 * them, and the noop variant of ours (our definition, the measured performs doing nothing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as ZipSteps from '../scripts/zip';
import { bareReference, CORE_VERSION, writeNoopVariant } from './bare-app';
import { ROOT, WORK, type AppName, type BuiltApp } from './children';
import { log } from './report';

// scripts/zip.js is plain CommonJS, loaded by path: the compiled bench runs from bench/.work/js
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zip = require(path.join(ROOT, 'scripts', 'zip.js')) as typeof ZipSteps;

export type Apps = Record<AppName, BuiltApp>;

const unpack = (name: AppName, zipPath: string): BuiltApp => {
  const dir = zip.unpackZip(zipPath, path.join(WORK, name, 'unpacked'));
  const corePackage = path.join(dir, 'node_modules', 'zapier-platform-core', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(corePackage, 'utf8')) as { version: string };
  if (version !== CORE_VERSION) {
    throw new Error(`${name}'s build.zip has zapier-platform-core ${version}, not ${CORE_VERSION}`);
  }
  const wrapper = path.join(dir, 'zapierwrapper.js');
  return { name, zip: zipPath, dir, wrapper, bytes: fs.statSync(zipPath).size };
};

/** `name@version` of each package, wherever npm placed it (hoisting differs between installs). */
const byName = (tree: readonly string[]) =>
  tree.map((entry) => entry.slice(entry.lastIndexOf('node_modules/') + 'node_modules/'.length));

export const buildAll = (): { apps: Apps; packages: { ours: string[]; bare: string[] } } => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run the bench with `npm run bench` (it compiles first)');
  }
  // ours: the steps of `npm run zip`, staged outside the project
  log('building build/build.zip…');
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-bench-stage-'));
  let ourZip: string;
  try {
    zip.stageApp({ stage });
    ourZip = zip.buildZip(stage, path.join(ROOT, 'build', 'build.zip'), 'pipe');
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  const cli = path.join(ROOT, 'node_modules', '.bin', 'zapier-platform');
  const env = { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1', NO_UPDATE_NOTIFIER: '1' };
  const bare = bareReference(WORK, cli, env, log);
  log(`bare reference: ${path.relative(ROOT, bare.zip)}${bare.built ? '' : ' (cached)'}`);
  const ours = unpack('ours', ourZip);
  const noop: BuiltApp = {
    ...ours,
    name: 'noop',
    wrapper: writeNoopVariant(ours.dir),
  };
  return {
    apps: { ours, noop, bare: unpack('bare', bare.zip) },
    packages: { ours: byName(zip.productionTree()).sort(), bare: byName(bare.packages).sort() },
  };
};
