// @ts-check
/**
 * Mutation testing of the receiver package (sdk/src/), the second part `npm run mutate` counts
 * (docs/mutation-testing.md, "sdk/"): the project's settings, with sdk/src/ to mutate, the jest
 * config that runs the package's tests, and its own tracked report.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import base from '../../stryker.config.mjs';

export default {
  ...base,
  mutate: ['sdk/src/**/*.ts', '!sdk/src/events.generated.ts'],
  jest: { ...base.jest, configFile: 'scripts/stryker/jest.sdk.config.js' },
  incrementalFile: 'reports/stryker-sdk-incremental.json',
  htmlReporter: { fileName: 'reports/mutation/sdk.html' },
};
