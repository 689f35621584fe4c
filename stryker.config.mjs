// @ts-check
/**
 * Mutation testing of core/, src/ and make/ (`npm run mutate`): see docs/mutation-testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  // make/ (the generator and the deploy) is counted since its run of 2026-12-06 reached 100 %; its
  // stand-in of Make's API (make/standin*.ts) is a test double, not the app (docs/mutation-testing.md)
  mutate: ['core/**/*.ts', 'src/**/*.ts', 'make/**/*.ts', '!make/standin*.ts'],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // jest.config.js with the runner and environment Stryker's runs use
    configFile: 'scripts/stryker/jest.config.js',
    // the runner picks the test files from the covering tests' names; jest's related-file
    // search would miss tests that reach a file through src/index.ts (outside jest's roots)
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  // code that runs only while a module loads (declarations): see docs/mutation-testing.md
  ignoreStatic: true,
  incremental: true,
  // `npm run mutate` (scripts/stryker/mutate.js) runs on a copy in reports/mutation/ and rewrites
  // the tracked reports/stryker-incremental.json only when its results changed
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  // a mutant whose covering tests run past 1.5 × their time + 15 s counts as a timeout (detected):
  // the default 5 s let a busy machine turn a few survivors into timeouts
  timeoutMS: 15_000,
  maxTestRunnerReuse: 40,
  // break: the score reached when it was set (100.00 % in the full run of 2026-12-01: every counted
  // mutant killed); a change that weakens the tests, or adds code no test pins down, fails
  // `npm run mutate` until a test kills the new mutant or, for one that behaves exactly like the
  // original, a disable comment says why (docs/mutation-testing.md).
  thresholds: { high: 100, low: 95, break: 100 },
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // the score table and each survivor's diff; not the per-test listing (about 800 lines of test
  // names marked ✘ for "killed no mutant", which read like failures)
  clearTextReporter: {
    allowColor: false,
    logTests: false,
    reportTests: false,
    reportScoreTable: true,
  },
  // dist/ is copied: the release tests (test/release) judge the build, which `npm run mutate` makes first
  ignorePatterns: ['build', '.stage', 'bench/.work', 'coverage', 'reports', '.cache', 'n8n/dist'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
