import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { type InitOptions, normal_, uniform_ } from './fill.js';
import { fanInAndFanOut } from './gain.js';

/** Options of the Xavier (Glorot) initializers. */
export interface XavierOptions extends InitOptions {
  /** Scale factor, e.g. `calculateGain('tanh')`. Default 1. */
  gain?: number;
}

function xavierStd(op: string, t: Tensor, gain: number): number {
  if (!Number.isFinite(gain)) throw new ValueError(`${op}: gain must be finite, got ${gain}`);
  const { fanIn, fanOut } = fanInAndFanOut(t.shape);
  return fanIn + fanOut === 0 ? 0 : gain * Math.sqrt(2 / (fanIn + fanOut));
}

/**
 * Fills `t` in place with U(−a, a), a = gain·√(6 / (fanIn + fanOut)), and returns it
 * (Glorot & Bengio 2010; PyTorch's `xavier_uniform_`).
 */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  const a = Math.sqrt(3) * xavierStd('xavierUniform_', t, options.gain ?? 1);
  return uniform_(t, -a, a, options);
}

/**
 * Fills `t` in place with N(0, std²), std = gain·√(2 / (fanIn + fanOut)), and returns it
 * (Glorot & Bengio 2010; PyTorch's `xavier_normal_`).
 */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  return normal_(t, 0, xavierStd('xavierNormal_', t, options.gain ?? 1), options);
}
