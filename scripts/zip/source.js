// source.zip: the files a reviewer needs to rebuild the app, as the Zapier CLI would select them,
// limited to what git tracks; never a secret, a build output, a generated report or a path of
// the machine that built it.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const AdmZip = require('adm-zip');
const { root } = require('./common');
const { writeReproducibleZip } = require('./reproducible');

const cliSource = path.join(root, 'node_modules', 'zapier-platform-cli', 'src');
/** Never in source.zip, whatever .gitignore says: secrets, local config, build output. */
const SECRET = /(^|\/)(\.env(\..*)?|\.zapierrc|.*\.pem|.*\.key|id_(rsa|ed25519).*)$/;
/** An .npmrc is source (the project's holds `loglevel`) unless it carries credentials. */
const NPMRC = /(^|\/)\.npmrc$/;
const NPM_CREDENTIAL = /(^|[\s:])(_auth|_authToken|_password|username|certfile|keyfile)\s*=/m;

/** Whether a file must never be shipped: a secret by its name, or an .npmrc with credentials. */
const isSecret = (name, read) =>
  SECRET.test(name) || (NPMRC.test(name) && NPM_CREDENTIAL.test(read()));
/** Never in source.zip: installed, built or generated (reports/: Stryker's incremental report). */
const NOT_SOURCE =
  /^(\.git(\/|$)|node_modules\/|build\/|dist\/|\.stage\/|coverage\/|bench\/\.work\/|reports\/)/;

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
  const secret = files.filter((f) =>
    isSecret(f, () => fs.readFileSync(path.join(root, f), 'utf8')),
  );
  if (secret.length > 0) {
    throw new Error(`source.zip would include ${secret.join(', ')}: untrack it or .gitignore it`);
  }
  return { files, untracked: selected.filter((f) => tracked && !tracked.has(f)) };
};

const sourceFiles = () => sourceSelection().files;

/** Writes source.zip at `target` from sourceFiles(), reproducibly. */
const writeSourceZip = (target) =>
  writeReproducibleZip(
    target,
    sourceFiles().map((file) => {
      const full = path.join(root, file);
      return { name: file, data: fs.readFileSync(full), mode: fs.statSync(full).mode };
    }),
  );

/** The file names in a zip. */
const zipEntries = (zipPath) =>
  new AdmZip(zipPath)
    .getEntries()
    .filter((e) => !e.isDirectory)
    .map((e) => e.entryName)
    .sort();

/**
 * Absolute paths of the machine that builds (the project's folder, the home folder): a file
 * holding one is generated here, not source, and tells a reader how this machine is laid out.
 */
const machinePaths = () => [root, os.homedir()].filter((p) => p.length > 1);

/**
 * Checks a source.zip: the project's source is there (package.json, lockfile, .zapierapprc,
 * README, src/ and test/), and nothing that is not source or is secret, and no file naming a
 * path of this machine.
 */
const checkSourceZip = (zipPath) => {
  const zip = new AdmZip(zipPath);
  const entries = zipEntries(zipPath);
  const required = ['package.json', 'package-lock.json', '.zapierapprc', 'README.md', 'index.js'];
  const missing = required.filter((f) => !entries.includes(f));
  for (const dir of ['src/', 'test/']) {
    if (!entries.some((e) => e.startsWith(dir) && e.endsWith('.ts'))) missing.push(`${dir}*.ts`);
  }
  const text = (e) => zip.getEntry(e)?.getData().toString('utf8') ?? '';
  const forbidden = entries.filter(
    (e) => isSecret(e, () => text(e)) || NOT_SOURCE.test(e) || e.endsWith('.zip'),
  );
  const paths = machinePaths();
  const local = entries.filter((e) => paths.some((p) => text(e).includes(p)));
  if (missing.length > 0 || forbidden.length > 0 || local.length > 0) {
    throw new Error(
      `${zipPath}:` +
        (missing.length > 0 ? ` missing ${missing.join(', ')};` : '') +
        (forbidden.length > 0 ? ` must not hold ${forbidden.join(', ')};` : '') +
        (local.length > 0 ? ` ${local.join(', ')} name a path of this machine` : ''),
    );
  }
  return entries;
};

module.exports = { sourceSelection, sourceFiles, writeSourceZip, zipEntries, checkSourceZip };
