/**
 * Jest's node environment, printing a failed test's console output (kept by test/console.ts,
 * which keeps a passing test's output out of the run). scripts/stryker/jest-environment.js
 * extends it.
 */
'use strict';
const { TestEnvironment } = require('jest-environment-node');

const CAPTURE_KEY = '__isaoTestConsole';

/** The test's full name, as jest prints it. */
const fullName = (test) => {
  const names = [];
  for (let block = test; block && block.parent; block = block.parent) names.unshift(block.name);
  return names.join(' ');
};

class ConsoleEnvironment extends TestEnvironment {
  handleTestEvent(event) {
    if (event.name !== 'test_done' || event.test.errors.length === 0) return;
    const lines = this.global[CAPTURE_KEY] ?? [];
    if (lines.length === 0) return;
    process.stderr.write(
      `\nconsole output of the failed test "${fullName(event.test)}":\n` +
        lines.map((line) => `  ${line.split('\n').join('\n  ')}\n`).join(''),
    );
  }
}

module.exports = ConsoleEnvironment;
