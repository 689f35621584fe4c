#!/usr/bin/env node
// Builds build/build.zip offline and proves it loads in Zapier's own handler.
//
// `zapier-platform build` copies the whole project, node_modules included; with the CLI and jest
// installed that exceeds this machine's open-file limit, and `--skip-dep-install` in place would
// zip every dev dependency's package.json. So: stage a copy holding only the compiled app and the
// production dependencies (copied from node_modules, no network), build there, bring the zip back.
//
// The steps are exported so the benchmarks (bench/) build their reference app the same way.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'node_modules', '.bin', 'zapier-platform');
/** What the zip is built from: the entry, the CLI's config and the compiled app. */
const APP_FILES = ['index.js', '.zapierapprc', 'dist'];

// Offline builds: the CLI would otherwise post usage analytics to zapier.com on every command.
const OFFLINE_ENV = { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1' };
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: 'inherit', env: OFFLINE_ENV });

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/**
 * Top-level folders of this project's node_modules that the named production dependencies need
 * (their whole dependency trees; nested node_modules come along with their top-level folder).
 */
const productionPackages = (
  names = Object.keys(readJson(path.join(root, 'package.json')).dependencies ?? {}),
) => {
  const tree = JSON.parse(
    execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  const top = new Set();
  const visit = (node) => {
    const rel = path.relative(path.join(root, 'node_modules'), node.path ?? '');
    if (node.path && !rel.startsWith('..') && rel !== '') {
      const parts = rel.split(path.sep);
      top.add(parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
    for (const child of Object.values(node.dependencies ?? {})) visit(child);
  };
  for (const name of names) {
    const dependency = tree.dependencies?.[name];
    if (!dependency?.path) throw new Error(`${name} is not installed: run \`npm ci\` first`);
    visit(dependency);
  }
  return [...top].sort();
};

/**
 * Stages an app in `stage`: its package.json without dev dependencies or scripts, its files, and
 * the production packages its dependencies need, copied from this project's node_modules.
 */
const stageApp = ({ appDir = root, stage, files = APP_FILES }) => {
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const pkg = readJson(path.join(appDir, 'package.json'));
  delete pkg.devDependencies;
  delete pkg.scripts; // nothing to build in the stage: dist/ is already compiled
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(stage, '.gitignore'), 'node_modules\nbuild\n'); // keeps source.zip small
  for (const file of files) {
    fs.cpSync(path.join(appDir, file), path.join(stage, file), { recursive: true });
  }
  // tsc copies package.json into dist/ for the app's `version` import: ship the stripped one there
  const compiledPkg = path.join(stage, 'dist', 'package.json');
  if (fs.existsSync(compiledPkg)) fs.copyFileSync(path.join(stage, 'package.json'), compiledPkg);
  for (const name of productionPackages(Object.keys(pkg.dependencies ?? {}))) {
    fs.cpSync(path.join(root, 'node_modules', name), path.join(stage, 'node_modules', name), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
};

/** Runs `zapier-platform build` in a staged app and copies its build.zip to `target`. */
const buildZip = (stage, target, stdio = 'inherit') => {
  execFileSync(cli, ['build', '--skip-validation', '--skip-dep-install'], {
    cwd: stage,
    stdio,
    encoding: 'utf8',
    env: OFFLINE_ENV,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(stage, 'build', 'build.zip'), target);
  return target;
};

/** Unpacks a zip into `dir` (emptied first), as the Lambda unpacks build.zip. */
const unpackZip = (zipPath, dir) => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('python3', ['-m', 'zipfile', '-e', zipPath, dir]);
  return dir;
};

/** Unpacks the zip and runs Zapier's zapierwrapper.js handler on it, as the Lambda would. */
const checkZip = (zipPath) => {
  const dir = unpackZip(zipPath, fs.mkdtempSync(path.join(os.tmpdir(), 'isao-zip-')));
  try {
    const probe = `
      const { handler } = require(${JSON.stringify(path.join(dir, 'zapierwrapper.js'))});
      handler({ command: 'definition', calledFromCli: true }).then((out) => {
        const def = out.results;
        const triggers = Object.keys(def.triggers || {}).length;
        const creates = Object.keys(def.creates || {}).length;
        if (!def.authentication || def.platformVersion !== '19.1.0') throw new Error('bad definition');
        console.log('build.zip loads in zapierwrapper.js: platform ' + def.platformVersion +
          ', ' + triggers + ' triggers, ' + creates + ' creates');
      }).catch((e) => { console.error(e); process.exit(1); });`;
    run(process.execPath, ['-e', probe], dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

const main = () => {
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const stage = path.join(root, '.stage');
  stageApp({ stage });
  const target = buildZip(stage, path.join(root, 'build', 'build.zip'));
  checkZip(target);
  console.log(`${path.relative(root, target)}: ${fs.statSync(target).size} bytes`);
  fs.rmSync(stage, { recursive: true, force: true });
};

if (require.main === module) main();

module.exports = { root, APP_FILES, productionPackages, stageApp, buildZip, unpackZip, checkZip };
