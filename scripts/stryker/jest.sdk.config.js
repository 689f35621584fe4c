/**
 * jest.config.js for the receiver package's mutation run (sdk.config.mjs): the app's run's config
 * on the package's own tests (test/sdk/); no other test reaches sdk/src/ in this process
 * (test/python/ and test/examples/ load it in child processes). Left out, each for its reason
 * (seen in a Stryker run): package.test.ts type-checks and bundles a build of sdk/ with tsc and
 * esbuild from the sandbox's node_modules; docs.test.ts, stores/docs.test.ts, cli/docs.test.ts,
 * stores/workers-*.test.ts and cli/check-matrix.test.ts run the package in node processes of
 * their own (the docs' examples and commands, the store workers, the framework servers). A child process never
 * has a mutant switched on, so they could kill none anyway. web-build.test.ts imports a build of
 * the instrumented sources inside its test: every module-level declaration of the package then
 * counts as covered by that test, which calls few of them (receiver.ts's `answer` replaced at
 * load survived there), instead of being left out as static; the web path it checks, verify over
 * the vectors, is checked in-process by verify.test.ts and digest.test.ts.
 */
'use strict';
const base = require('./jest.config.js');

const OUT = [
  '<rootDir>/test/sdk/package.test.ts',
  '<rootDir>/test/sdk/docs.test.ts',
  '<rootDir>/test/sdk/web-build.test.ts',
  '<rootDir>/test/sdk/stores/docs.test.ts',
  '<rootDir>/test/sdk/stores/workers-',
  '<rootDir>/test/sdk/cli/check-matrix.test.ts',
  '<rootDir>/test/sdk/cli/docs.test.ts',
  '<rootDir>/test/examples/',
];

module.exports = {
  ...base,
  roots: ['<rootDir>/test/sdk'],
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns.filter(
      (pattern) => !OUT.includes(pattern) && pattern !== '<rootDir>/test/sdk/',
    ),
    ...OUT,
  ],
};
