import { DTypeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * A trainable float32 tensor owned by a {@link Module} (PyTorch's `nn.Parameter`). Modules find their parameters by
 * looking for `Parameter` properties, so a plain `Tensor` property is never trained or saved.
 */
export class Parameter extends Tensor {
  /** Wraps `data` (not copied) as a parameter; it requires gradients unless `requiresGrad` is false (frozen). */
  constructor(data: Float32Array, shape: readonly number[], requiresGrad = true) {
    super(data, shape, requiresGrad);
  }

  /** A parameter holding a copy of a float32 tensor's values (off the tape). */
  static from(t: Tensor, requiresGrad = true): Parameter {
    if (t.dtype !== 'float32') throw new DTypeError(`Parameter.from: tensor must be float32, got ${t.dtype} ${fmtShape(t.shape)}`);
    return new Parameter(new Float32Array(t.data as Float32Array), t.shape, requiresGrad);
  }
}
