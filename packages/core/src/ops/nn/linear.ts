import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ShapeError, fmtShape } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { checkFloat, empty } from '../util.js';

/**
 * Affine map `x·Wᵀ + b` (PyTorch's `F.linear`): `x [..., in]`, `weight [out, in]`, `bias [out]` → `[..., out]`.
 * All leading axes fold into the rows of one GEMM that reads W transposed in place (no transpose copy); the bias is
 * pre-filled into the output and accumulated with β = 1. Saves x and W: dx = g·W, dW = gᵀ·x, db = Σ_rows g.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkFloat('linear', 'input', x);
  checkFloat('linear', 'weight', weight);
  if (weight.rank !== 2) throw new ShapeError(`linear: weight must be [out, in], got ${fmtShape(weight.shape)}`);
  const [N, K] = weight.shape as [number, number];
  if (x.rank === 0 || x.shape[x.rank - 1] !== K) {
    throw new ShapeError(`linear: input ${fmtShape(x.shape)} does not end in inFeatures ${K} of weight ${fmtShape(weight.shape)}`);
  }
  if (bias) {
    checkFloat('linear', 'bias', bias);
    if (bias.rank !== 1 || bias.shape[0] !== N) {
      throw new ShapeError(`linear: bias must be [${N}] for weight ${fmtShape(weight.shape)}, got ${fmtShape(bias.shape)}`);
    }
  }
  const rows = sizeOf(x.shape.slice(0, -1));
  const out = empty([...x.shape.slice(0, -1), N]); // [..., out]
  const C = out.data as Float32Array;
  if (bias) {
    const b = bias.data as Float32Array;
    for (let r = 0; r < rows; r++) C.set(b, r * N);
  }
  getBackend().gemm(false, true, rows, N, K, 1, x.data as Float32Array, 0, K, weight.data as Float32Array, 0, K, bias ? 1 : 0, C, 0, N);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record('linear', inputs, out, { x, weight, bias, rows, N, K }, (g, s) => {
    const backend = getBackend();
    const G = g.data as Float32Array; // [rows, out]
    let dx: Tensor | null = null;
    if (s.x.requiresGrad) {
      dx = empty(s.x.shape);
      backend.gemm(false, false, s.rows, s.K, s.N, 1, G, 0, s.N, s.weight.data as Float32Array, 0, s.K, 0, dx.data as Float32Array, 0, s.K);
    }
    let dw: Tensor | null = null;
    if (s.weight.requiresGrad) {
      dw = empty(s.weight.shape);
      backend.gemm(true, false, s.N, s.K, s.rows, 1, G, 0, s.N, s.x.data as Float32Array, 0, s.K, 0, dw.data as Float32Array, 0, s.K);
    }
    const grads: (Tensor | null)[] = [dx, dw];
    if (s.bias) {
      let db: Tensor | null = null;
      if (s.bias.requiresGrad) {
        db = empty(s.bias.shape);
        backend.reduce('sum', G, 1, s.rows, s.N, db.data);
      }
      grads.push(db);
    }
    return grads;
  });
}
