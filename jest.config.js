/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // isolatedModules (tsconfig.json) makes ts-jest transpile only: `npm run lint` type-checks
  transform: { '^.+\\.ts$': 'ts-jest' },
  // `./x.js` imports, as `zapier-platform scaffold` writes them into src/index.ts, are ./x.ts here
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  clearMocks: true,
  restoreMocks: true,
};
