#!/usr/bin/env node
/**
 * `npm run mutate`: `stryker run`, incremental against the committed
 * reports/stryker-incremental.json, which is rewritten only when what it says changed.
 *
 * Stryker writes its incremental report after every run, even one with nothing to retest, and
 * the bytes differ each time though the results do not: the absolute project folder
 * (`projectRoot`), stack traces in `statusReason` naming the machine's temporary sandbox, the order
 * of mutants within a file and of keys within a mutant, and `killedBy` absent or empty. So Stryker works on a copy
 * (reports/mutation/, not tracked), and the tracked file is replaced, in a canonical form (no
 * machine path, mutants in source order), only when the canonical results differ.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const TRACKED = path.join(root, 'reports', 'stryker-incremental.json');
const WORK = path.join(root, 'reports', 'mutation', 'stryker-incremental.json');
const stryker = path.join(root, 'node_modules', '.bin', 'stryker');

/** A statusReason without stack frames or paths of the machine (sandbox folders, project root). */
const portableReason = (reason, projectRoot) =>
  reason
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n')
    .replace(/\S*\.stryker-tmp\/sandbox-[^/\s]+\//g, '')
    .split(projectRoot ? `${projectRoot}/` : '\0')
    .join('');

const byLocation = (a, b) =>
  a.location.start.line - b.location.start.line ||
  a.location.start.column - b.location.start.column ||
  a.location.end.line - b.location.end.line ||
  a.location.end.column - b.location.end.column ||
  a.mutatorName.localeCompare(b.mutatorName) ||
  String(a.replacement).localeCompare(String(b.replacement));

const sortedIds = (ids) =>
  [...(ids ?? [])].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1));

/** `value` with every object's keys in sorted order (Stryker's key order varies by run). */
const sortedDeep = (value) => {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedDeep(value[key])]),
  );
};

/** The report as it is committed: same results, nothing that depends on the machine or the run. */
const canonical = (report) => {
  const { projectRoot, files, config, ...rest } = report;
  const mutant = (m) => ({
    ...m,
    ...(m.statusReason === undefined
      ? {}
      : { statusReason: portableReason(m.statusReason, projectRoot) }),
    coveredBy: sortedIds(m.coveredBy),
    killedBy: sortedIds(m.killedBy),
  });
  return sortedDeep({
    ...rest,
    // the options it was written with, less where this run kept its working copy
    ...(config
      ? { config: { ...config, incrementalFile: 'reports/stryker-incremental.json' } }
      : {}),
    files: Object.fromEntries(
      Object.entries(files).map(([name, file]) => [
        name,
        { ...file, mutants: file.mutants.map(mutant).sort(byLocation) },
      ]),
    ),
  });
};

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const serialise = (report) => `${JSON.stringify(report, null, 2)}\n`;

/** Writes the work copy's canonical form over the tracked report when its results differ. */
const keepIfChanged = () => {
  if (!fs.existsSync(WORK)) return 'Stryker wrote no incremental report';
  const fresh = serialise(canonical(readJson(WORK)));
  const before = fs.existsSync(TRACKED) ? serialise(canonical(readJson(TRACKED))) : undefined;
  if (fresh === before) return `${path.relative(root, TRACKED)}: unchanged (same results)`;
  fs.writeFileSync(TRACKED, fresh);
  return `${path.relative(root, TRACKED)}: updated (commit it with the change)`;
};

const main = () => {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg.startsWith('--incrementalFile'))) {
    // an explicit incremental file: the caller's own, the tracked report is not involved
    return spawnSync(stryker, ['run', ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;
  }
  fs.mkdirSync(path.dirname(WORK), { recursive: true });
  if (fs.existsSync(TRACKED)) fs.copyFileSync(TRACKED, WORK);
  else fs.rmSync(WORK, { force: true });
  const run = spawnSync(stryker, ['run', '--incrementalFile', WORK, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  console.log(keepIfChanged());
  return run.status ?? 1;
};

if (require.main === module) process.exitCode = main();

module.exports = { canonical };
