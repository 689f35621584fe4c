/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // transpile only: `npm run lint` type-checks the tests with tsc
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  clearMocks: true,
  restoreMocks: true,
};
