import { record } from '../../autograd/record.js';
import { ValueError } from '../../errors.js';
import { type Generator, defaultGenerator } from '../../random.js';
import { Tensor } from '../../tensor.js';
import { mul } from '../elementwise/mul.js';
import { checkFloat } from '../util.js';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Whether to drop (false: identity). Default true. */
  training?: boolean;
  /** Random stream for the mask; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/**
 * Inverted dropout (Srivastava et al. 2014): zeroes each element with probability `p` and scales survivors by
 * 1/(1−p) so the expectation is unchanged. The mask comes from the seeded JS generator, so it is identical on every
 * backend. Saves the scaled mask.
 */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkFloat('dropout', 'input', x);
  if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout: p must be in [0, 1], got ${p}`);
  if (options.training === false || p === 0) return x;
  const gen = options.generator ?? defaultGenerator;
  const mask = new Float32Array(x.size);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = gen.uniform() < p ? 0 : scale;
  const m = new Tensor(mask, x.shape);
  const out = mul(x.detach(), m);
  return record('dropout', [x], out, { m }, (g, s) => [mul(g, s.m)]);
}
