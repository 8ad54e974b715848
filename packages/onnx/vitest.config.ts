import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    conditions: ['@elman/source'],
    // The guide's examples import the package by name (guide.test.ts runs them against the sources).
    alias: { '@elman/onnx': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: { name: 'onnx', include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
