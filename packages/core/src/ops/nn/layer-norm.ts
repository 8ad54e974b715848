import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { mean } from '../reduce/mean.js';
import { sum } from '../reduce/sum.js';
import { reshape } from '../shape/reshape.js';
import { checkFloat, empty } from '../util.js';

/**
 * Layer normalisation over the trailing `normalizedShape` axes (Ba et al. 2016; PyTorch's `F.layer_norm`, biased
 * variance). Saves the normalised input x̂ and 1/σ per row; with ĝ = g⊙γ,
 * dx = (ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) / σ, dγ = Σ g⊙x̂, dβ = Σ g.
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  checkFloat('layerNorm', 'input', x);
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.rank - k);
  if (k === 0 || k > x.rank || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new ShapeError(`layerNorm: normalizedShape ${fmtShape(normalizedShape)} does not match the trailing axes of input ${fmtShape(x.shape)}`);
  }
  for (const [name, p] of [['weight', weight], ['bias', bias]] as const) {
    if (p && (p.rank !== k || p.shape.some((d, i) => d !== normalizedShape[i]))) {
      throw new ShapeError(`layerNorm: ${name} is ${fmtShape(p.shape)} but normalizedShape is ${fmtShape(normalizedShape)}`);
    }
  }
  if (!(eps >= 0)) throw new ValueError(`layerNorm: eps must be non-negative, got ${eps}`);
  const cols = sizeOf(normalizedShape);
  const rows = sizeOf(x.shape.slice(0, x.rank - k));
  const out = empty(x.shape);
  const meanBuf = new Float32Array(rows);
  const rstdBuf = new Float32Array(rows);
  getBackend().layerNorm(
    x.data as Float32Array,
    (weight?.data as Float32Array | undefined) ?? null,
    (bias?.data as Float32Array | undefined) ?? null,
    rows,
    cols,
    eps,
    out.data as Float32Array,
    meanBuf,
    rstdBuf,
  );
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  const saved = { x, weight, bias, mean: new Tensor(meanBuf, [rows, 1]), rstd: new Tensor(rstdBuf, [rows, 1]), rows, cols };
  return record('layerNorm', inputs, out, saved, (g, s) => {
    const g2 = reshape(g, [s.rows, s.cols]);
    const xhat = mul(sub(reshape(s.x, [s.rows, s.cols]), s.mean), s.rstd); // [rows, cols]
    const gh = s.weight ? mul(g2, reshape(s.weight, [s.cols])) : g2;
    const dx = s.x.requiresGrad
      ? reshape(mul(sub(sub(gh, mean(gh, 1, true)), mul(xhat, mean(mul(gh, xhat), 1, true))), s.rstd), s.x.shape)
      : null;
    const grads: (Tensor | null)[] = [dx];
    if (s.weight) grads.push(s.weight.requiresGrad ? reshape(sum(mul(g2, xhat), 0), s.weight.shape) : null);
    if (s.bias) grads.push(s.bias.requiresGrad ? reshape(sum(g2, 0), s.bias.shape) : null);
    return grads;
  });
}
