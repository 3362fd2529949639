import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (graphql 16 has no `exports`),
    // and so do graphql-yoga and Pothos; Vite would pick the ES build for our
    // sources, making two GraphQLError classes. One copy keeps errors recognised.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Each file opens its own database from the run's template; PGlite's start-up dominates.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
