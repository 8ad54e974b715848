import { needsGrad, record } from '../../autograd/record.js';
import type { GemmActivation } from '../../backends/backend.js';
import { getBackend } from '../../backends/registry.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { cast } from '../elementwise/cast.js';
import { gt } from '../elementwise/compare.js';
import { mul } from '../elementwise/mul.js';
import { square } from '../elementwise/square.js';
import { sub } from '../elementwise/sub.js';
import { checkFloat, empty, unaryKernel } from '../util.js';

/** Activations {@link linear} can fuse into its GEMM; `gelu` is the exact (erf) GELU, PyTorch's default. */
export type LinearActivation = GemmActivation;

/** Options of {@link linear}. */
export interface LinearFunctionOptions {
  /**
   * Activation applied to `x·Wᵀ + b` inside the same kernel (default `none`): `linear(x, w, b, {activation: 'relu'})`
   * equals `relu(linear(x, w, b))` with one pass over the output instead of two, and one tape node.
   */
  activation?: LinearActivation;
}

const ACTIVATIONS: ReadonlySet<string> = new Set<LinearActivation>(['none', 'relu', 'gelu', 'tanh', 'sigmoid']);

/**
 * Affine map `x·Wᵀ + b` (PyTorch's `F.linear`), optionally followed by an activation: `x [..., in]`,
 * `weight [out, in]`, `bias [out]` → `[..., out]`. All leading axes fold into the rows of one GEMM that reads W
 * transposed in place (no transpose copy), with the bias and the activation fused into the GEMM's epilogue
 * (backend `gemmBiasAct`). Saves x, W and the output (GELU also its input z = x·Wᵀ + b):
 * dz = g ⊙ act′, read off the output for relu (y > 0), tanh (1 − y²) and sigmoid (y(1 − y)) and off z for GELU;
 * then dx = dz·W, dW = dzᵀ·x, db = Σ_rows dz.
 *
 * @example
 * ```ts run
 * import { linear, randn } from '@elman/core';
 *
 * const x = randn([2, 5, 8]); // [B, T, X]
 * const w = randn([16, 8], { requiresGrad: true }); // [out, in]
 * const b = randn([16], { requiresGrad: true });
 * const h = linear(x, w, b, { activation: 'gelu' }); // [2, 5, 16]: a transformer feed-forward's first half
 * h.sum().backward();
 * console.log(h.shape, w.grad?.shape);
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: LinearFunctionOptions = {}): Tensor {
  checkFloat('linear', 'input', x);
  checkFloat('linear', 'weight', weight);
  const act = options.activation ?? 'none';
  if (!ACTIVATIONS.has(act)) {
    throw new ValueError(`linear: activation must be one of ${[...ACTIVATIONS].join(', ')}, got '${String(act)}'`);
  }
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
  const inputs = bias ? [x, weight, bias] : [x, weight];
  // GELU's derivative needs its input: the epilogue writes it out too, only when a backward pass will want it.
  const z = act === 'gelu' && needsGrad(inputs) ? empty(out.shape) : null; // [..., out]
  getBackend().gemmBiasAct(
    false,
    true,
    rows,
    N,
    K,
    x.data as Float32Array,
    0,
    K,
    weight.data as Float32Array,
    0,
    K,
    bias ? (bias.data as Float32Array) : null,
    act,
    out.data as Float32Array,
    0,
    N,
    z ? (z.data as Float32Array) : null,
  );
  return record('linear', inputs, out, { x, weight, bias, rows, N, K, act, y: out, z }, (g, s) => {
    const backend = getBackend();
    const G = activationGrad(s.act, g, s.y, s.z).data as Float32Array; // [rows, out]: dL/dz
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

/** dL/dz from dL/dy = g through y = act(z), from the saved output y (or z for GELU). */
function activationGrad(act: LinearActivation, g: Tensor, y: Tensor, z: Tensor | null): Tensor {
  switch (act) {
    case 'relu':
      // y > 0 exactly where z > 0: the gradient at 0 is 0, as in PyTorch.
      return mul(g, cast(gt(y, 0), 'float32'));
    case 'tanh':
      return mul(g, sub(1, square(y)));
    case 'sigmoid':
      return mul(g, mul(y, sub(1, y)));
    case 'gelu':
      return mul(g, unaryKernel('linear', 'geluDeriv', z as Tensor));
    default:
      return g;
  }
}
