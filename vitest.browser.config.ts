import { defineConfig } from 'vitest/config';

// Journeys in Chromium against the real app. One file at a time: one browser on 2 cores.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.spec.ts'],
    environment: 'node',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    expect: { requireAssertions: true },
  },
});
