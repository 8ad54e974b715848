import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { fillInPlace } from './fill.js';

/** Fills `t` in place with `value` and returns it (PyTorch's `nn.init.constant_`). */
export function constant_(t: Tensor, value: number): Tensor {
  if (Number.isNaN(value)) throw new ValueError(`constant_: value is NaN for tensor ${fmtShape(t.shape)}`);
  return fillInPlace('constant_', t, (d) => d.fill(value));
}

/** Fills `t` in place with zeros and returns it. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` in place with ones and returns it. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * Sets a 2-D tensor in place to `gain` times the identity (ones on the main diagonal, also when not square) and
 * returns it. With a ReLU RNN's hidden-to-hidden weight this is the IRNN initialisation (Le, Jaitly & Hinton 2015).
 */
export function eye_(t: Tensor, gain = 1): Tensor {
  if (t.rank !== 2) throw new ShapeError(`eye_: tensor must be 2-D, got ${fmtShape(t.shape)}`);
  const [rows, cols] = t.shape as [number, number];
  return fillInPlace('eye_', t, (d) => {
    d.fill(0);
    for (let i = 0; i < Math.min(rows, cols); i++) d[i * cols + i] = gain;
  });
}
