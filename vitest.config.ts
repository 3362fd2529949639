import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Each file opens its own database from the run's template; PGlite's start-up dominates.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
