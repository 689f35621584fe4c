/**
 * jest.config.js as `npm run mutate` (StrykerJS) runs it: the same suite, in one process, with
 * the runner and environment beside this file. Plain `jest` never reads it.
 */
'use strict';
const path = require('node:path');
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- removed on purpose, see below
const { workerIdleMemoryLimit, ...base } = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '..', '..'),
  // (workerIdleMemoryLimit is left out: with it, the tests do not report their coverage to
  // Stryker, whose runs are in one process anyway)
  // only the test files holding a test that covers the mutant, cheapest first, stopping at the
  // first failing file; and a file's tests after its first failing one are skipped
  runner: path.join(__dirname, 'jest-runner.js'),
  // test/scripts runs npm scripts in child processes (building dist/ again), and zips.test.ts
  // builds build.zip twice (half a minute) from dist/: no mutant of src/ is reached in this
  // process, and in the sandbox an npm script would compile the instrumented src/; the core's
  // boundary test and n8n's package scan read the sources (the scan through a build of them),
  // which Stryker's instrumentation fills with the very globals they refuse; the n8n package
  // test loads a build of the instrumented core, whose declarations then count as covered by it
  // alone (it checks the package's shape, not the core's values): none of them kills a mutant
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/scripts/',
    '<rootDir>/test/release/zips.test.ts',
    '<rootDir>/test/core/boundary.test.ts',
    '<rootDir>/test/n8n/scan.test.ts',
    '<rootDir>/test/n8n/package.test.ts',
    // the receiver package (sdk/) is the run's second part (sdk.config.mjs, with
    // jest.sdk.config.js): here its tests would cover the core's mutants and test them again; and
    // the examples start node servers in child processes (no mutant is ever switched on in one)
    '<rootDir>/test/sdk/',
    '<rootDir>/test/examples/',
    // the Python package's tests run Python (and Node) in child processes, and its client's
    // parity test reaches the core through sdk/, whose tests are left out above
    '<rootDir>/test/python/',
  ],
  testEnvironment: path.join(__dirname, 'jest-environment.js'),
};
