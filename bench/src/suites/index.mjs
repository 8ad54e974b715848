import { kernels, kernelsElman } from './kernels.mjs';
import { matmul, matmulThreads } from './matmul.mjs';
import { onnx } from './onnx.mjs';
import { rnn, rnnThreads } from './rnn.mjs';
import { rnnMemory } from './rnn-memory.mjs';
import { rnnNumpy } from './rnn-numpy.mjs';
import { seq2seq, seq2seqBeam, seq2seqDecode } from './seq2seq.mjs';
import { trainer, trainerSync } from './trainer.mjs';
import { transformer, transformerDecode, transformerLayer } from './transformer.mjs';
import { word2vec } from './word2vec.mjs';
import { wrappers } from './wrappers.mjs';

/** Every suite `pnpm bench` runs, in order. Add a suite here after writing its module. */
export const SUITES = [matmul, matmulThreads, kernels, kernelsElman, transformer, transformerLayer, transformerDecode, rnn, rnnThreads, rnnNumpy, rnnMemory, wrappers, trainer, trainerSync, word2vec, onnx, seq2seq, seq2seqDecode, seq2seqBeam];

/**
 * @param {string} name
 * @returns {import('./types.mjs').Suite}
 */
export function suiteByName(name) {
  const suite = SUITES.find((s) => s.name === name);
  if (!suite) throw new Error(`bench: unknown suite '${name}'; known: ${SUITES.map((s) => s.name).join(', ')}`);
  return suite;
}
