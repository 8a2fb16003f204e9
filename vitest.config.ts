import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // Each test builds its own database from a migrated image: cheap, isolated.
    testTimeout: 20_000,
  },
});
