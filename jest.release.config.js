/**
 * `npm run release:rehearse`: the release rehearsal (test/release/*.rehearsal.ts), apart from
 * `npm test` because it needs build/build.zip and build/source.zip (`npm run zip`) first.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['**/*.rehearsal.ts'],
  testTimeout: 60_000,
};
