// @ts-check
/**
 * Mutation testing of src/ (`npm run mutate`): see "Mutation testing" in README.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  mutate: ['src/**/*.ts'],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // the runner below picks the test files from the covering tests' names; jest's related-file
    // search would miss tests that reach a file through src/index.ts (outside jest's roots)
    enableFindRelatedTests: false,
    config: {
      // only the test files holding a test that covers the mutant, cheapest first, stopping at
      // the first failure (see the file)
      runner: '<rootDir>/scripts/stryker/jest-runner.js',
      // ... and the tests of a file after its first failing one are skipped (see the file)
      testEnvironment: './scripts/stryker/jest-environment.js',
      // core's Lambda memory guard would end a long-lived Stryker worker (see the file)
      moduleNameMapper: { '^\\./memory-checker$': '<rootDir>/scripts/stryker/memory-checker.js' },
    },
  },
  coverageAnalysis: 'perTest',
  // code that runs only while a module loads (declarations): see README, "Mutation testing"
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  maxTestRunnerReuse: 40,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // dist/ is copied: the release tests (test/release) judge the build, which `npm run mutate` makes first
  ignorePatterns: ['build', '.stage', 'bench/.work', 'coverage', 'reports'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
