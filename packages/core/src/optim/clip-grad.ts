import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /** Throw a `ValueError` when the total norm is NaN or infinite. Default true (PyTorch's default is false). */
  errorIfNonfinite?: boolean;
}

/**
 * Rescales the gradients of `params` in place so that their global p-norm (all gradients taken as one vector) is at
 * most `maxNorm`, as `torch.nn.utils.clip_grad_norm_`: scale = maxNorm / (norm + 1e-6), applied only when < 1.
 * Parameters without `.grad` are skipped. Returns the total norm before clipping (0 when no gradient exists).
 * Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural networks".
 *
 * @example
 * ```ts run
 * import { Adam, clipGradNorm, mseLoss, randn } from '@elman/core';
 * import { RNN } from '@elman/cells';
 *
 * const rnn = new RNN({ inputSize: 4, hiddenSize: 32 });
 * const opt = new Adam(rnn.parameters(), { lr: 1e-3 });
 * const { output } = rnn.forward(randn([8, 100, 4])); // [B, T, H]: a long unrolled sequence
 * mseLoss(output, randn(output.shape)).backward();
 * const norm = clipGradNorm(rnn.parameters(), 1.0); // the global norm before clipping; after it, at most 1
 * opt.step();
 * console.log(norm);
 * ```
 *
 * @param params The parameters whose gradients are clipped.
 * @param maxNorm The largest allowed norm, ≥ 0 (`Infinity` only measures the norm).
 * @param normType p of the p-norm: any p > 0, or `Infinity` for the largest absolute value. Default 2.
 * @param options Non-finite handling.
 */
export function clipGradNorm(
  params: Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) {
    throw new ValueError(`clipGradNorm: maxNorm must be a number >= 0, got ${maxNorm}`);
  }
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new ValueError(`clipGradNorm: normType must be > 0 or Infinity, got ${normType}`);
  }
  const grads: Float32Array[] = [];
  for (const p of params) if (p.grad) grads.push(p.grad.f32);
  let total = 0;
  if (normType === Infinity) {
    let nan = false;
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]!);
        // `a > total` is false for NaN, so NaN is tracked on the side (the max of a set with NaN is NaN).
        if (a > total) total = a;
        else if (Number.isNaN(a)) nan = true;
      }
    }
    if (nan) total = Number.NaN;
  } else if (normType === 2) {
    for (const g of grads) for (let i = 0; i < g.length; i++) total += g[i]! * g[i]!;
    total = Math.sqrt(total);
  } else {
    for (const g of grads) for (let i = 0; i < g.length; i++) total += Math.abs(g[i]!) ** normType;
    total = total ** (1 / normType);
  }
  if (!Number.isFinite(total) && (options.errorIfNonfinite ?? true)) {
    throw new ValueError(
      `clipGradNorm: the total ${normType}-norm of the gradients is ${total}; pass {errorIfNonfinite: false} to clip anyway`,
    );
  }
  const scale = maxNorm / (total + 1e-6);
  if (scale < 1) {
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * scale;
  }
  return total;
}

/**
 * Clamps every gradient element of `params` into [−clipValue, clipValue] in place (`torch.nn.utils.clip_grad_value_`).
 * Parameters without `.grad` are skipped.
 * @param params The parameters whose gradients are clipped.
 * @param clipValue The largest allowed magnitude, ≥ 0.
 */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (typeof clipValue !== 'number' || !(clipValue >= 0)) {
    throw new ValueError(`clipGradValue: clipValue must be a number >= 0, got ${clipValue}`);
  }
  for (const p of params) {
    if (!p.grad) continue;
    const g = p.grad.f32;
    for (let i = 0; i < g.length; i++) {
      const v = g[i]!;
      if (v > clipValue) g[i] = clipValue;
      else if (v < -clipValue) g[i] = -clipValue;
    }
  }
}
