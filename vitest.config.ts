// Test runner configuration: unit tests under test/, end-to-end tests run the built CLI from dist/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // FC_SEED fixes fast-check's seed (.ci/run derives it from the commit, so a CI run can be repeated exactly).
    setupFiles: ['test/setup/fast-check-seed.ts'],
  },
});
