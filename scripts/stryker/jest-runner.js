/**
 * Jest's own in-band test runner, as `npm run mutate` (StrykerJS) uses it; plain `jest` never
 * loads this file (stryker.config.mjs sets it as jest's `runner` for Stryker's runs only).
 *
 * Stryker re-runs, for each mutant, only the tests that cover it, by passing their names as
 * jest's `testNamePattern`; jest would still load every test file (about 0.5 s each, a test
 * file has to import zapier-platform-core) only to skip their tests, and it cannot bail when
 * run programmatically. So this runner:
 * - in the dry run (no pattern, no active mutant), records each test file's test names and
 *   times in the sandbox (`.stryker-test-files.json`);
 * - in a mutant run, runs only the files that hold a test the pattern selects, cheapest first,
 *   and stops after the first file with a failing test (the mutant is killed: Stryker needs
 *   no more). A file it knows nothing about is always run.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const TestRunner = require('jest-runner').default;

const FILE = '.stryker-test-files.json';

/** @returns {Record<string, {setupMs: number, tests: {name: string, ms: number}[]}> | undefined} */
const readKnown = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

class StrykerTestRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    const file = path.join(this._globalConfig.rootDir, FILE);
    const pattern = this._globalConfig.testNamePattern;
    if (!pattern && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
      return this.#record(file, tests, watcher, options);
    }
    const known = pattern ? readKnown(file) : undefined;
    if (!known) return super.runTests(tests, watcher, options);
    const selects = new RegExp(pattern, 'i'); // as jest-circus matches testNamePattern
    const cost = (test) => {
      const entry = known[test.path];
      if (!entry) return 0;
      const chosen = entry.tests.filter((t) => selects.test(t.name));
      return chosen.length === 0 ? -1 : entry.setupMs + chosen.reduce((sum, t) => sum + t.ms, 0);
    };
    const planned = tests
      .map((test) => ({ test, ms: cost(test) }))
      .filter(({ ms }) => ms >= 0)
      .sort((a, b) => a.ms - b.ms);
    let failed = false;
    const offSuccess = this.on('test-file-success', ([, result]) => {
      if (result.numFailingTests > 0 || result.testExecError) failed = true;
    });
    const offFailure = this.on('test-file-failure', () => {
      failed = true;
    });
    try {
      for (const { test } of planned) {
        if (failed) break;
        await super.runTests([test], watcher, options);
      }
    } finally {
      offSuccess();
      offFailure();
    }
  }

  async #record(file, tests, watcher, options) {
    const files = {};
    const off = this.on('test-file-success', ([test, result]) => {
      const ran = result.testResults.map((t) => ({ name: t.fullName, ms: t.duration ?? 0 }));
      const testsMs = ran.reduce((sum, t) => sum + t.ms, 0);
      const fileMs = result.perfStats.end - result.perfStats.start;
      files[test.path] = { setupMs: Math.max(fileMs - testsMs, 0), tests: ran };
    });
    try {
      return await super.runTests(tests, watcher, options);
    } finally {
      off();
      fs.writeFileSync(file, JSON.stringify(files));
    }
  }
}

module.exports = StrykerTestRunner;
