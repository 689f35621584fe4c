/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // isolatedModules (tsconfig.json) makes ts-jest transpile only: `npm run lint` type-checks
  transform: { '^.+\\.ts$': 'ts-jest' },
  clearMocks: true,
  restoreMocks: true,
  // `npm run coverage` (and CI): the app's code, held at what the suite reaches today
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: {
    global: { statements: 98, branches: 92, functions: 99, lines: 99 },
  },
};
