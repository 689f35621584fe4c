// build.zip: stage the compiled app with core's production tree, bundle it, let the Zapier CLI
// zip it, make the zip reproducible, and prove it loads in Zapier's own handler.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const AdmZip = require('adm-zip');
const { root, OFFLINE_ENV, readJson } = require('./common');
const { productionTree, installedTree, assertProductionTree } = require('./tree');
const { rewriteReproducibly } = require('./reproducible');

const cli = path.join(root, 'node_modules', '.bin', 'zapier-platform');
/** What the zip is built from: the entry, the CLI's config and the compiled app. */
const APP_FILES = ['index.js', '.zapierapprc', 'dist'];

/**
 * Stages the app in `stage`: its package.json without dev dependencies or scripts, its compiled
 * files, and exactly the production tree, copied from this project's node_modules. The stage must
 * be outside the project: inside it, a require the stage cannot satisfy would resolve to the
 * project's node_modules, and the CLI's build would zip from there.
 */
const stageApp = ({ stage }) => {
  if (!path.relative(root, stage).startsWith('..')) throw new Error('stage inside the project');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const pkg = readJson(path.join(root, 'package.json'));
  delete pkg.devDependencies;
  delete pkg.scripts; // nothing to build in the stage: dist/ is already compiled
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(stage, '.gitignore'), 'node_modules\nbuild\n'); // the stage's source.zip is not used
  for (const file of APP_FILES) {
    fs.cpSync(path.join(root, file), path.join(stage, file), { recursive: true });
  }
  // tsc copies package.json into dist/ for the app's `version` import: ship the stripped one there
  const compiledPkg = path.join(stage, 'dist', 'package.json');
  if (fs.existsSync(compiledPkg)) fs.copyFileSync(path.join(stage, 'package.json'), compiledPkg);
  bundleApp(stage);
  // each package without its nested node_modules: those nested that are needed are in the tree
  for (const at of productionTree().map((p) => p.slice(0, p.lastIndexOf('@')))) {
    const from = path.join(root, at);
    const nested = path.join(from, 'node_modules');
    fs.cpSync(from, path.join(stage, at), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => source !== nested,
    });
  }
  assertProductionTree(installedTree(stage), 'the stage');
};

/**
 * The compiled app as one module (esbuild, which the CLI itself depends on): the twenty-odd files
 * tsc writes become `dist/src/index.js`, whitespace and syntax minified (names are kept, so stack
 * traces in Zap logs stay readable), with zapier-platform-core left to node_modules. One file
 * loads faster on every cold start, and zips smaller.
 */
const bundleApp = (stage) => {
  const entry = path.join(stage, 'dist', 'src', 'index.js');
  const bundled = path.join(stage, 'app.bundle.js');
  require('esbuild').buildSync({
    entryPoints: [entry],
    // module names in the bundle are relative to this: `dist/src/…`, not the temporary stage's path
    absWorkingDir: stage,
    outfile: bundled,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['zapier-platform-core'],
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  fs.rmSync(path.join(stage, 'dist'), { recursive: true });
  fs.mkdirSync(path.dirname(entry), { recursive: true });
  fs.renameSync(bundled, entry);
};

/**
 * Runs `zapier-platform build` in a staged app and copies its build.zip to `target`, rewritten
 * reproducibly (fixed entry times and order, stable modes).
 */
const buildZip = (stage, target, stdio = 'inherit') => {
  execFileSync(cli, ['build', '--skip-validation', '--skip-dep-install'], {
    cwd: stage,
    stdio,
    encoding: 'utf8',
    env: OFFLINE_ENV,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(stage, 'build', 'build.zip'), target);
  return rewriteReproducibly(target); // the CLI stamps each entry with its file's time
};

/** Unpacks a zip into `dir` (emptied first), as the Lambda unpacks build.zip. */
const unpackZip = (zipPath, dir) => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of new AdmZip(zipPath).getEntries()) {
    const file = path.join(dir, entry.entryName);
    if (!file.startsWith(dir + path.sep)) throw new Error(`${zipPath}: ${entry.entryName} escapes`);
    fs.mkdirSync(entry.isDirectory ? file : path.dirname(file), { recursive: true });
    if (entry.isDirectory) continue;
    // adm-zip writes a symlink entry as a file holding its target: make it a link, as unzip does
    const mode = entry.attr >>> 16;
    if ((mode & 0o170000) === 0o120000) fs.symlinkSync(entry.getData().toString('utf8'), file);
    else fs.writeFileSync(file, entry.getData(), { mode: mode & 0o777 || 0o644 });
  }
  return dir;
};

/** The app definition as this working tree's compiled app has it (version, trigger/create keys). */
const expectedDefinition = () => {
  const pkg = readJson(path.join(root, 'package.json'));
  const app = require(path.join(root, 'index.js'));
  return {
    version: pkg.version,
    platformVersion: pkg.dependencies['zapier-platform-core'],
    triggers: Object.keys(app.triggers ?? {}).sort(),
    creates: Object.keys(app.creates ?? {}).sort(),
  };
};

/**
 * Unpacks build.zip and runs Zapier's zapierwrapper.js handler on it, as the Lambda would (in a
 * child process on this node); checks that it defines this working tree's app (version, platform
 * version, triggers, creates) and that its node_modules is exactly core's production tree.
 */
const checkZip = (zipPath) => {
  const dir = unpackZip(zipPath, fs.mkdtempSync(path.join(os.tmpdir(), 'isao-zip-')));
  try {
    const probe = `
      const { handler } = require(${JSON.stringify(path.join(dir, 'zapierwrapper.js'))});
      handler({ command: 'definition', calledFromCli: true }).then((out) => {
        const d = out.results;
        process.stdout.write(JSON.stringify({
          version: d.version, platformVersion: d.platformVersion, authentication: !!d.authentication,
          triggers: Object.keys(d.triggers || {}).sort(), creates: Object.keys(d.creates || {}).sort(),
        }));
      }).catch((e) => { console.error(e); process.exit(1); });`;
    const env = { ...OFFLINE_ENV };
    delete env.NODE_ENV;
    delete env.NODE_OPTIONS;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['-e', probe], { cwd: dir, env, encoding: 'utf8' }),
    );
    const expected = expectedDefinition();
    for (const key of ['version', 'platformVersion', 'triggers', 'creates']) {
      if (JSON.stringify(loaded[key]) !== JSON.stringify(expected[key])) {
        throw new Error(
          `${zipPath}: ${key} is ${JSON.stringify(loaded[key])}, the app has ${JSON.stringify(expected[key])}`,
        );
      }
    }
    if (!loaded.authentication) throw new Error(`${zipPath}: the definition has no authentication`);
    const packages = assertProductionTree(installedTree(dir), zipPath);
    return { ...loaded, packages };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

module.exports = { APP_FILES, stageApp, buildZip, unpackZip, checkZip };
