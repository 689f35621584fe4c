#!/usr/bin/env node
/**
 * `npm run mutate`: `stryker run` for each counted part, incremental against its committed report
 * (PARTS), which is rewritten only when what it says changed; it fails when any part does.
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
/**
 * The counted runs, in order: the app (core/, src/, make/) and the receiver package (sdk/src/),
 * each with its config and its tracked report (docs/mutation-testing.md). Apart because the
 * package's tests also cover the core: in one run, every core mutant would run them too.
 */
const PARTS = [
  { config: 'stryker.config.mjs', report: 'reports/stryker-incremental.json' },
  { config: 'scripts/stryker/sdk.config.mjs', report: 'reports/stryker-sdk-incremental.json' },
];
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
const canonical = (report, tracked = PARTS[0].report) => {
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
    ...(config ? { config: { ...config, incrementalFile: tracked } } : {}),
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
const keepIfChanged = (report, work) => {
  const tracked = path.join(root, report);
  if (!fs.existsSync(work)) return 'Stryker wrote no incremental report';
  const fresh = serialise(canonical(readJson(work), report));
  const before = fs.existsSync(tracked)
    ? serialise(canonical(readJson(tracked), report))
    : undefined;
  if (fresh === before) return `${report}: unchanged (same results)`;
  fs.writeFileSync(tracked, fresh);
  return `${report}: updated (commit it with the change)`;
};

/** One part's run on a copy of its tracked report (reports/mutation/, not tracked); its status. */
const runPart = ({ config, report }, args) => {
  const work = path.join(root, 'reports', 'mutation', path.basename(report));
  fs.mkdirSync(path.dirname(work), { recursive: true });
  if (fs.existsSync(path.join(root, report))) fs.copyFileSync(path.join(root, report), work);
  else fs.rmSync(work, { force: true });
  console.log(`== stryker run ${config}`);
  const run = spawnSync(stryker, ['run', config, '--incrementalFile', work, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  console.log(keepIfChanged(report, work));
  return run.status ?? 1;
};

const main = () => {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg.startsWith('--incrementalFile'))) {
    // an explicit incremental file: the caller's own, the tracked reports are not involved
    return spawnSync(stryker, ['run', ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;
  }
  // every part runs, so one part's failure does not hide the other's result
  const statuses = PARTS.map((part) => runPart(part, args));
  return statuses.find((status) => status !== 0) ?? 0;
};

if (require.main === module) process.exitCode = main();

module.exports = { canonical, PARTS };
