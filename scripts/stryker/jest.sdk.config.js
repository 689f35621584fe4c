/**
 * jest.config.js for mutation runs of the receiver package alone (sdk.config.mjs): the counted
 * run's config, with the package's tests in. Left out still, each for its reason (seen in a
 * Stryker run): package.test.ts type-checks and bundles a build of sdk/ with tsc and esbuild from
 * the sandbox's node_modules; docs.test.ts and test/examples/ start node servers in child
 * processes from a project beside the build. A child process never has a mutant switched on, so
 * they could kill none anyway. web-build.test.ts imports a build of the instrumented sources
 * inside its test: every module-level declaration of the package then counts as covered by that
 * test, which calls few of them (receiver.ts's `answer` replaced at load survived there), instead
 * of being left out as static; the web path it checks, verify over the vectors, is checked
 * in-process by verify.test.ts and digest.test.ts.
 */
'use strict';
const base = require('./jest.config.js');

const OUT = [
  '<rootDir>/test/sdk/package.test.ts',
  '<rootDir>/test/sdk/docs.test.ts',
  '<rootDir>/test/sdk/web-build.test.ts',
  '<rootDir>/test/examples/',
];

module.exports = {
  ...base,
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns.filter(
      (pattern) => !OUT.includes(pattern) && pattern !== '<rootDir>/test/sdk/',
    ),
    ...OUT,
  ],
};
