import { matmul } from './matmul.mjs';
import { onnx } from './onnx.mjs';
import { rnn } from './rnn.mjs';
import { trainer, trainerSync } from './trainer.mjs';
import { transformer, transformerDecode, transformerLayer } from './transformer.mjs';
import { word2vec } from './word2vec.mjs';

/** Every suite `pnpm bench` runs, in order. Add a suite here after writing its module. */
export const SUITES = [matmul, transformer, transformerLayer, transformerDecode, rnn, trainer, trainerSync, word2vec, onnx];

/**
 * @param {string} name
 * @returns {import('./types.mjs').Suite}
 */
export function suiteByName(name) {
  const suite = SUITES.find((s) => s.name === name);
  if (!suite) throw new Error(`bench: unknown suite '${name}'; known: ${SUITES.map((s) => s.name).join(', ')}`);
  return suite;
}
