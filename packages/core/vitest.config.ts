import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@elman/source'] },
  test: {
    name: 'core',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
