#!/usr/bin/env node
// Builds build/build.zip offline and proves it loads in Zapier's own handler.
//
// `zapier-platform build` copies the whole project, node_modules included; with the CLI and jest
// installed that exceeds this machine's open-file limit, and `--skip-dep-install` in place would
// zip every dev dependency's package.json. So: stage a copy holding only the compiled app and the
// production dependencies (copied from node_modules, no network), build there, bring the zip back.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stage = path.join(root, '.stage');
const cli = path.join(root, 'node_modules', '.bin', 'zapier-platform');

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

/** Top-level folders of node_modules that production code needs (nested ones come along). */
const productionPackages = () => {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
  });
  const top = new Set();
  for (const line of out.split('\n')) {
    const rel = path.relative(path.join(root, 'node_modules'), line.trim());
    if (!line.trim() || rel.startsWith('..') || rel === '') continue;
    const parts = rel.split(path.sep);
    top.add(parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...top].sort();
};

const stageApp = () => {
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  delete pkg.devDependencies;
  delete pkg.scripts; // nothing to build in the stage: dist/ is already compiled
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(stage, '.gitignore'), 'node_modules\nbuild\n'); // keeps source.zip small
  for (const file of ['index.js', '.zapierapprc', 'dist']) {
    fs.cpSync(path.join(root, file), path.join(stage, file), { recursive: true });
  }
  for (const name of productionPackages()) {
    fs.cpSync(path.join(root, 'node_modules', name), path.join(stage, 'node_modules', name), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
};

/** Unpacks the zip and runs Zapier's zapierwrapper.js handler on it, as the Lambda would. */
const checkZip = (zipPath) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-zip-'));
  try {
    execFileSync('python3', ['-m', 'zipfile', '-e', zipPath, dir]);
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
  stageApp();
  run(cli, ['build', '--skip-validation', '--skip-dep-install'], stage);
  const built = path.join(stage, 'build', 'build.zip');
  const target = path.join(root, 'build', 'build.zip');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(built, target);
  checkZip(target);
  console.log(`${path.relative(root, target)}: ${fs.statSync(target).size} bytes`);
  fs.rmSync(stage, { recursive: true, force: true });
};

main();
