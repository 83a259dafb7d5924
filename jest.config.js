/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // TypeScript sources win over any stray compiled .js beside them.
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Type checking is `tsc` in the build; tests only transpile, which keeps them fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  collectCoverageFrom: ['shared/**/*.ts'],
  modulePathIgnorePatterns: ['<rootDir>/out/', '<rootDir>/actions/.*/dist/', '<rootDir>/tasks/.*/dist/'],
};
