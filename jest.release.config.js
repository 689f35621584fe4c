/**
 * `npm run release:rehearse`: the release rehearsal (test/release/*.rehearsal.ts), apart from
 * `npm test` because it needs build/build.zip and build/source.zip (`npm run zip`) first.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['**/*.rehearsal.ts'],
  // without the zips: one line saying to run `npm run zip`, and a non-zero exit
  globalSetup: '<rootDir>/test/release/global-setup.js',
  testTimeout: 60_000,
};
