import { Tensor, type DType } from '../../tensor.js';

/**
 * Converts to another dtype (float → int truncates toward zero). Not differentiable: the result is off the tape.
 * Returns the input itself when the dtype already matches.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const data = dtype === 'float32' ? Float32Array.from(x.data) : Int32Array.from(x.data, (v) => Math.trunc(v));
  return new Tensor(data, x.shape);
}
