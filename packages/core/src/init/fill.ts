import { noGrad } from '../autograd/grad-mode.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { type Generator, defaultGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';

/** Options shared by the random initializers. */
export interface InitOptions {
  /** Random stream; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/**
 * Runs `fill` on the float32 data of `t` outside the tape (initialisation is never differentiated) and returns `t`.
 * @internal
 */
export function fillInPlace(op: string, t: Tensor, fill: (data: Float32Array) => void): Tensor {
  if (t.dtype !== 'float32') throw new DTypeError(`${op}: tensor must be float32, got ${t.dtype} ${fmtShape(t.shape)}`);
  noGrad(() => fill(t.data as Float32Array));
  return t;
}

/** Fills `t` in place with U(low, high) and returns it (PyTorch's `nn.init.uniform_`). */
export function uniform_(t: Tensor, low = 0, high = 1, options: InitOptions = {}): Tensor {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new ValueError(`uniform_: need finite low <= high, got low ${low}, high ${high}`);
  }
  const gen = options.generator ?? defaultGenerator;
  return fillInPlace('uniform_', t, (d) => gen.fillUniform(d, low, high));
}

/** Fills `t` in place with N(mean, std²) and returns it (PyTorch's `nn.init.normal_`). */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
    throw new ValueError(`normal_: need a finite mean and std >= 0, got mean ${mean}, std ${std}`);
  }
  const gen = options.generator ?? defaultGenerator;
  return fillInPlace('normal_', t, (d) => gen.fillNormal(d, mean, std));
}
