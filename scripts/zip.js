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
// The steps are exported for the benchmarks (bench/) and the release rehearsal (test/release/).
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const AdmZip = require('adm-zip');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'node_modules', '.bin', 'zapier-platform');
const cliSource = path.join(root, 'node_modules', 'zapier-platform-cli', 'src');
/** What the zip is built from: the entry, the CLI's config and the compiled app. */
const APP_FILES = ['index.js', '.zapierapprc', 'dist'];
/** Never in source.zip, whatever .gitignore says: secrets, local config, build output. */
const SECRET = /(^|\/)(\.env(\..*)?|\.npmrc|\.zapierrc|.*\.pem|.*\.key|id_(rsa|ed25519).*)$/;
const NOT_SOURCE =
  /^(\.git(\/|$)|node_modules\/|build\/|dist\/|\.stage\/|coverage\/|bench\/\.work\/)/;

// Offline builds: the CLI would otherwise post usage analytics to zapier.com on every command.
const OFFLINE_ENV = { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1', NO_UPDATE_NOTIFIER: '1' };

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

// ---------------------------------------------------------------------------------------------
// the production tree, from package-lock.json

/** Where node finds `name` when the package at lockfile path `from` requires it. */
const resolveIn = (packages, from, name) => {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
};

/**
 * The lockfile paths (`node_modules/…`) of the packages the app's dependencies need at run time:
 * their `dependencies`, `optionalDependencies` (when installed) and required peers, transitively.
 * Optional peers are not followed: node-fetch's optional peer `encoding` (and its `iconv-lite`)
 * is in node_modules only because the dev tooling installs it, and a plain `npm install` of
 * zapier-platform-core does not install it. Dev-only packages are never reached.
 */
const productionTree = (lockFile = path.join(root, 'package-lock.json')) => {
  const { packages } = readJson(lockFile);
  const rootPackage = packages[''] ?? {};
  const seen = new Map(); // lockfile path → version
  const visit = (from, name, optional) => {
    const at = resolveIn(packages, from, name);
    if (!at) {
      if (optional) return;
      throw new Error(`${name} (needed by ${from || 'the app'}) is not in package-lock.json`);
    }
    if (seen.has(at)) return;
    const entry = packages[at];
    seen.set(at, entry.version);
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      if (!optionalPeers[dep]?.optional) visit(at, dep, false);
    }
  };
  for (const name of Object.keys(rootPackage.dependencies ?? {})) visit('', name, false);
  return [...seen].map(([at, version]) => `${at}@${version}`).sort();
};

/**
 * The packages actually present under `dir`/node_modules, as `<lockfile path>@<version>`: every
 * package root (node_modules/<name> or node_modules/@scope/<name>, at any depth) that has a
 * package.json. Works on a staged folder and on an unpacked build.zip alike.
 */
const installedTree = (dir) => {
  const found = [];
  const walk = (nodeModules, prefix) => {
    if (!fs.existsSync(nodeModules)) return;
    for (const entry of fs.readdirSync(nodeModules, { withFileTypes: true })) {
      if (entry.name === '.bin' || entry.name.startsWith('.')) continue;
      const names = entry.name.startsWith('@')
        ? fs.readdirSync(path.join(nodeModules, entry.name)).map((n) => `${entry.name}/${n}`)
        : [entry.name];
      for (const name of names) {
        const at = `${prefix}node_modules/${name}`;
        const pkg = path.join(nodeModules, name, 'package.json');
        // npm normalises versions in the lockfile (json-metaschema's package.json says v1.3.0)
        if (fs.existsSync(pkg))
          found.push(`${at}@${String(readJson(pkg).version).replace(/^v/, '')}`);
        walk(path.join(nodeModules, name, 'node_modules'), `${at}/`);
      }
    }
  };
  walk(path.join(dir, 'node_modules'), '');
  return found.sort();
};

/** Throws, naming the differences, unless `actual` is exactly the production tree. */
const assertProductionTree = (actual, what) => {
  const expected = productionTree();
  const extra = actual.filter((p) => !expected.includes(p));
  const missing = expected.filter((p) => !actual.includes(p));
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(
      `${what}: node_modules is not zapier-platform-core's production tree` +
        (extra.length > 0 ? `\n  extra: ${extra.join(', ')}` : '') +
        (missing.length > 0 ? `\n  missing: ${missing.join(', ')}` : ''),
    );
  }
  return expected;
};

// ---------------------------------------------------------------------------------------------
// build.zip

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

// ---------------------------------------------------------------------------------------------
// source.zip

/** Files git tracks here, or undefined when this is not a git checkout (or git is missing). */
const trackedFiles = () => {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return new Set(out.split('\0').filter(Boolean));
  } catch {
    return undefined;
  }
};

/**
 * What source.zip holds: the files `zapier-platform build` would put in it (its own walk, block
 * list and .gitignore filter), limited to the files git tracks when this is a git checkout.
 * Refuses a secret-looking file rather than ship it.
 */
const sourceSelection = () => {
  const { walkDirWithPresetBlocklist } = require(path.join(cliSource, 'utils', 'build.js'));
  const { respectGitIgnore } = require(path.join(cliSource, 'utils', 'ignore.js'));
  const walked = [...walkDirWithPresetBlocklist(root)].map((entry) =>
    path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
  );
  const tracked = trackedFiles();
  const selected = respectGitIgnore(root, walked)
    .filter((f) => !NOT_SOURCE.test(f))
    .filter((f) => f !== 'definition.json' && f !== 'zapierwrapper.js') // as the CLI skips them
    .sort();
  const files = selected.filter((f) => !tracked || tracked.has(f));
  const secret = files.filter((f) => SECRET.test(f));
  if (secret.length > 0) {
    throw new Error(`source.zip would include ${secret.join(', ')}: untrack it or .gitignore it`);
  }
  return { files, untracked: selected.filter((f) => tracked && !tracked.has(f)) };
};

const sourceFiles = () => sourceSelection().files;

/** Writes source.zip at `target` from sourceFiles(). */
const writeSourceZip = (target) => {
  const zip = new AdmZip();
  for (const file of sourceFiles()) {
    zip.addFile(file, fs.readFileSync(path.join(root, file)), '', 0o644 << 16);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  zip.writeZip(target);
  fs.chmodSync(target, 0o644);
  return target;
};

/** The file names in a zip. */
const zipEntries = (zipPath) =>
  new AdmZip(zipPath)
    .getEntries()
    .filter((e) => !e.isDirectory)
    .map((e) => e.entryName)
    .sort();

/**
 * Checks a source.zip: the project's source is there (package.json, lockfile, .zapierapprc,
 * README, src/ and test/), and nothing that is not source or is secret.
 */
const checkSourceZip = (zipPath) => {
  const entries = zipEntries(zipPath);
  const required = ['package.json', 'package-lock.json', '.zapierapprc', 'README.md', 'index.js'];
  const missing = required.filter((f) => !entries.includes(f));
  for (const dir of ['src/', 'test/']) {
    if (!entries.some((e) => e.startsWith(dir) && e.endsWith('.ts'))) missing.push(`${dir}*.ts`);
  }
  const forbidden = entries.filter(
    (e) => SECRET.test(e) || NOT_SOURCE.test(e) || e.endsWith('.zip'),
  );
  if (missing.length > 0 || forbidden.length > 0) {
    throw new Error(
      `${zipPath}:` +
        (missing.length > 0 ? ` missing ${missing.join(', ')};` : '') +
        (forbidden.length > 0 ? ` must not hold ${forbidden.join(', ')}` : ''),
    );
  }
  return entries;
};

// ---------------------------------------------------------------------------------------------

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
  console.log('Upload both with `npx zapier-platform upload` (see README: Releasing).');
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
};
