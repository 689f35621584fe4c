/** @type {import('jest').Config} */
module.exports = {
  // node's, printing a failed test's console output, which test/console.ts keeps per test
  testEnvironment: '<rootDir>/test/environment.js',
  setupFilesAfterEnv: ['<rootDir>/test/console.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // one line, not a failure per check, when dist/ has not been built (`npx jest` in a fresh clone)
  globalSetup: '<rootDir>/test/global-setup.js',
  // isolatedModules (tsconfig.json) makes ts-jest transpile only: `npm run lint` type-checks
  transform: { '^.+\\.ts$': 'ts-jest' },
  // `./x.js` imports, as `zapier-platform scaffold` writes them into src/index.ts, are ./x.ts here
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // core's Lambda memory guard would end a long-lived jest worker (see the file)
    '^\\./memory-checker$': '<rootDir>/test/memory-checker.js',
  },
  // a worker whose heap grew past this between test files is replaced
  workerIdleMemoryLimit: '200MB',
  clearMocks: true,
  restoreMocks: true,
  // `npm run coverage` (and CI): the app's code, held at what the suite reaches today
  collectCoverageFrom: ['core/**/*.ts', 'src/**/*.ts'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: {
    global: { statements: 100, branches: 98, functions: 100, lines: 100 },
  },
};
