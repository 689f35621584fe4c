/**
 * Jest's environment (test/environment.js), as `npm run mutate` (StrykerJS) uses it; plain `jest` never loads this
 * file (stryker.config.mjs sets it as jest's `testEnvironment` for Stryker's runs only).
 *
 * In a mutant run, once a test fails the mutant is killed and Stryker needs no more: the tests
 * of the file that have not started yet are skipped (jest cannot bail when run programmatically;
 * jest-runner.js beside this file skips the remaining files). Hooks of blocks already entered
 * still run, so what a beforeAll started its afterAll stops.
 */
'use strict';
const ConsoleEnvironment = require('../../test/environment.js');

const skipAll = (block) => {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipAll(child);
    else if (child.startedAt === undefined || child.startedAt === null) child.mode = 'skip';
  }
};

class BailingEnvironment extends ConsoleEnvironment {
  handleTestEvent(event, state) {
    super.handleTestEvent(event, state);
    if (
      event.name === 'test_done' &&
      event.test.errors.length > 0 &&
      process.env.__STRYKER_ACTIVE_MUTANT__ !== undefined
    ) {
      skipAll(state.rootDescribeBlock);
    }
  }
}

module.exports = BailingEnvironment;
