import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@elman/source'] },
  test: { name: 'demo-charlm', include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
