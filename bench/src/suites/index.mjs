import { matmul } from './matmul.mjs';

/** Every suite `pnpm bench` runs, in order. Add a suite here after writing its module. */
export const SUITES = [matmul];

/**
 * @param {string} name
 * @returns {import('./types.mjs').Suite}
 */
export function suiteByName(name) {
  const suite = SUITES.find((s) => s.name === name);
  if (!suite) throw new Error(`bench: unknown suite '${name}'; known: ${SUITES.map((s) => s.name).join(', ')}`);
  return suite;
}
