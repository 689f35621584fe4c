/**
 * Jest's environment (test/environment.js), as `npm run mutate` (StrykerJS) uses it; plain `jest` never loads this
 * file (stryker.config.mjs sets it as jest's `testEnvironment` for Stryker's runs only).
 *
 * In a mutant run, once a test fails the mutant is killed and Stryker needs no more: the tests
 * of the file that have not started yet are skipped (jest cannot bail when run programmatically;
 * jest-runner.js beside this file skips the remaining files). Hooks of blocks already entered
 * still run, so what a beforeAll started its afterAll stops.
 *
 * A mutant can start work that its test never awaits, and which fails later: a call the original
 * refused before any request, made instead, to a network this machine does not reach. Node ends
 * a process on a promise rejected with no handler, unless the process listens for them; Stryker's
 * test runner does, but jest-circus takes every such listener away while a test file runs and
 * does not give them back (it keeps the sandbox's `process` listeners, not the real one's), so
 * the first rejection after a file's run crashed Stryker's child process and stopped the run.
 * So, in Stryker's runs:
 * - the listeners the process had before a file are given back as soon as jest has run it, with
 *   one of this file's own that prints a rejection no test was there to take (it fails no test of
 *   a later file, which it has nothing to do with);
 * - a rejection that reaches jest between tests, or as the file ends (within one turn of the
 *   event loop), fails the last test that ran: a test failure, so the mutant counts as killed,
 *   not as a runtime error.
 * test/make/local-only.ts refuses the Make tests' requests for anywhere but 127.0.0.1 at once, so
 * a mutant's stray request fails the test that sent it, naming its URL.
 */
'use strict';
const { setImmediate: turn } = require('node:timers/promises');
const ConsoleEnvironment = require('../../test/environment.js');

const skipAll = (block) => {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipAll(child);
    else if (child.startedAt === undefined || child.startedAt === null) child.mode = 'skip';
  }
};

/** A rejection no test file's run was there to take (jest's own handler is set only during one). */
const late = (reason) => {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  process.stderr.write(
    `\na promise was rejected with no handler after its test file's run ended (no test fails for it):\n  ${text.split('\n').join('\n  ')}\n`,
  );
};

class BailingEnvironment extends ConsoleEnvironment {
  /** The last test that ran in this file: jest's results are read after `run_finish`. */
  #last;

  /** The process's listeners for an unhandled rejection before jest-circus took them away. */
  #listeners = [];

  async setup() {
    await super.setup();
    if (!process.listeners('unhandledRejection').includes(late)) {
      process.on('unhandledRejection', late);
    }
    this.#listeners = process.listeners('unhandledRejection');
  }

  /** Gives back the listeners jest-circus took away (at its `teardown`, when it restores its own). */
  #restoreListeners() {
    const now = process.listeners('unhandledRejection');
    for (const listener of this.#listeners) {
      if (!now.includes(listener)) process.on('unhandledRejection', listener);
    }
  }

  async teardown() {
    this.#restoreListeners();
    await super.teardown();
  }

  async handleTestEvent(event, state) {
    super.handleTestEvent(event, state);
    if (event.name === 'test_done') this.#last = event.test;
    if (
      event.name === 'test_done' &&
      event.test.errors.length > 0 &&
      process.env.__STRYKER_ACTIVE_MUTANT__ !== undefined
    ) {
      skipAll(state.rootDescribeBlock);
    }
    if (event.name === 'teardown') this.#restoreListeners();
    if (event.name === 'run_finish') {
      // one turn of the event loop: a rejection already settled reaches the process's handlers
      await turn();
      // jest keeps what failed outside any test as the file's error (a runtime error to Stryker)
      if (this.#last && state.unhandledErrors.length > 0) {
        this.#last.errors.push(...state.unhandledErrors.splice(0));
      }
    }
  }
}

module.exports = BailingEnvironment;
