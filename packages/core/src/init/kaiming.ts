import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { type InitOptions, normal_, uniform_ } from './fill.js';
import { type Nonlinearity, calculateGain, fanInAndFanOut } from './gain.js';

/** Options of the Kaiming (He) initializers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (used when `nonlinearity` is `leakyRelu`). Default 0. */
  a?: number;
  /** Preserve the variance of activations (`fanIn`, default) or of gradients (`fanOut`). */
  mode?: 'fanIn' | 'fanOut';
  /** The nonlinearity that follows. Default `leakyRelu` (with `a` = 0 that is ReLU's gain √2), as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ValueError(`${op}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const { fanIn, fanOut } = fanInAndFanOut(t.shape);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  const gain = calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0);
  return fan === 0 ? 0 : gain / Math.sqrt(fan);
}

/**
 * Fills `t` in place with U(−b, b), b = gain·√(3 / fan), and returns it (He et al. 2015; PyTorch's
 * `kaiming_uniform_`). With `a = √5` this is PyTorch's default `Linear` weight init, U(−1/√in, 1/√in).
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const b = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return uniform_(t, -b, b, options);
}

/** Fills `t` in place with N(0, std²), std = gain / √fan, and returns it (He et al. 2015; PyTorch's `kaiming_normal_`). */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, options), options);
}
