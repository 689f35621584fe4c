/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // isolatedModules (tsconfig.json) makes ts-jest transpile only: `npm run lint` type-checks
  transform: { '^.+\\.ts$': 'ts-jest' },
  clearMocks: true,
  restoreMocks: true,
};
