import { ValueError } from '@elman/core';
import type { Nonlinearity } from './kernels/rnn-sequence.js';

/** Weight initialisation of an Elman RNN: PyTorch's default, or the IRNN identity preset (Le et al. 2015). */
export type RnnInitialization = 'default' | 'irnn';

/** Checks the `nonlinearity` option (default `'tanh'`). */
export function checkNonlinearity(op: string, v: unknown): Nonlinearity {
  const n = v ?? 'tanh';
  if (n !== 'tanh' && n !== 'relu') throw new ValueError(`${op}: nonlinearity must be 'tanh' or 'relu', got '${String(n)}'`);
  return n;
}

/** Checks the `initialization` option (default `'default'`). */
export function checkInitialization(op: string, v: unknown): RnnInitialization {
  const n = v ?? 'default';
  if (n !== 'default' && n !== 'irnn') {
    throw new ValueError(`${op}: initialization must be 'default' or 'irnn', got '${String(n)}'`);
  }
  return n;
}
