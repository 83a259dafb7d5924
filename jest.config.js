// Two tiers, one run: `unit` needs nothing but Node and the reference files (npm run test:unit, no build, no
// registries); `integration` is everything else under test/ (real registries, skopeo, helm, act, the built bundles) and
// starts with a preflight that names every missing tool. `npm test` builds and runs both.
const project = {
  testEnvironment: 'node',
  // TypeScript sources win over any stray compiled .js beside them.
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Type checking is `tsc` in the build; tests only transpile, which keeps them fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  modulePathIgnorePatterns: [
    '<rootDir>/out/',
    '<rootDir>/actions/.*/dist/',
    '<rootDir>/tasks/.*/dist/',
    '<rootDir>/.tools/',
  ],
  roots: ['<rootDir>/test'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.js'],
  // Reference files are checked (and the run's temp directory made) once, whichever tier runs.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  collectCoverageFrom: ['shared/**/*.ts'],
  projects: [
    { ...project, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...project,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/unit/'],
      globalSetup: '<rootDir>/test/support/preflight-setup.ts',
    },
  ],
};
