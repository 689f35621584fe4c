// @ts-check
/**
 * Mutation testing of the receiver package alone (sdk/src/), not yet counted by `npm run mutate`
 * (docs/mutation-testing.md, "sdk/"): `npx stryker run scripts/stryker/sdk.config.mjs`. The
 * project's settings, with sdk/src/ to mutate, the jest config that runs the package's tests, and
 * an untracked incremental file of its own.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import base from '../../stryker.config.mjs';

export default {
  ...base,
  mutate: ['sdk/src/**/*.ts', '!sdk/src/events.generated.ts'],
  jest: { ...base.jest, configFile: 'scripts/stryker/jest.sdk.config.js' },
  incrementalFile: 'reports/mutation/sdk-incremental.json',
  htmlReporter: { fileName: 'reports/mutation/sdk.html' },
  // the package's own score, reported; the break threshold applies once it is counted
  thresholds: { ...base.thresholds, break: null },
};
