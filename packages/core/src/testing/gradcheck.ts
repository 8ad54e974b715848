import { noGrad } from '../autograd/grad-mode.js';
import { GradientError, fmtShape } from '../errors.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step. Default 1e-2 (float32 forward passes need a large step; see below). */
  eps?: number;
  /** Absolute tolerance. Default 1e-3. */
  atol?: number;
  /** Relative tolerance. Default 1e-2. */
  rtol?: number;
  /** Seed of the random output weights. Default 0. */
  seed?: number;
  /** Check at most this many elements per input (chosen evenly); default all. */
  maxElements?: number;
}

/** Result of {@link gradcheck}: the worst mismatch found. */
export interface GradcheckResult {
  /** True when every checked element is within `atol + rtol·|numeric|`. */
  ok: boolean;
  /** Largest |analytic − numeric| over all checked elements. */
  maxAbsError: number;
  /** Where that largest error occurred; null if nothing was checked. */
  worst: GradcheckMismatch | null;
}

/** One element's gradients as compared by {@link gradcheck}. */
export interface GradcheckMismatch {
  /** Position of the input in the `inputs` list. */
  input: number;
  /** Flat (row-major) element index within that input. */
  index: number;
  /** Gradient from autograd. */
  analytic: number;
  /** Gradient from central differences. */
  numeric: number;
}

/**
 * Compares autograd gradients with central finite differences. The output is reduced to a scalar
 * L = Σ w ⊙ f(inputs) with fixed random weights w, so every output element is exercised; the differences
 * (L(x+ε) − L(x−ε)) / 2ε and the sum are taken in float64. The forward pass itself runs in float32, whose rounding
 * (~6e-8 relative) divided by 2ε bounds the achievable accuracy, hence the default ε = 1e-2 with rtol 1e-2: a
 * wrong gradient formula is off by O(1), far outside these tolerances.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { gradcheck } from '@elman/core/testing';
 *
 * const a = randn([3, 4]);
 * const b = randn([4, 2]);
 * const { ok, maxAbsError, worst } = gradcheck((x, y) => x.matmul(y).tanh(), [a, b]);
 * console.log(ok, maxAbsError, worst); // true, ~1e-4, the element with the largest error
 * ```
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const eps = options.eps ?? 1e-2;
  const atol = options.atol ?? 1e-3;
  const rtol = options.rtol ?? 1e-2;
  const gen = new Generator(options.seed ?? 0);

  for (const t of inputs) if (t.dtype === 'float32') t.requiresGrad = true;
  for (const t of inputs) t.grad = null;
  const out = fn(...inputs);
  const w = new Float64Array(out.size);
  for (let i = 0; i < w.length; i++) w[i] = gen.uniform() * 2 - 1;
  out.backward(new Tensor(Float32Array.from(w), out.shape));

  const loss = (): number =>
    noGrad(() => {
      const y = fn(...inputs);
      let s = 0;
      for (let i = 0; i < w.length; i++) s += w[i]! * y.data[i]!;
      return s;
    });

  const result: GradcheckResult = { ok: true, maxAbsError: 0, worst: null };
  inputs.forEach((t, k) => {
    if (t.dtype !== 'float32') return;
    const data = t.data as Float32Array;
    const grad = t.grad?.data;
    const step = options.maxElements ? Math.max(1, Math.floor(data.length / options.maxElements)) : 1;
    for (let i = 0; i < data.length; i += step) {
      const orig = data[i]!;
      data[i] = orig + eps;
      const up = loss();
      data[i] = orig - eps;
      const down = loss();
      data[i] = orig;
      // The perturbation actually applied in float32 may differ from eps; divide by the real step.
      const h = Math.fround(orig + eps) - Math.fround(orig - eps);
      const numeric = (up - down) / h;
      const analytic = grad ? grad[i]! : 0;
      const err = Math.abs(analytic - numeric);
      if (err > result.maxAbsError) {
        result.maxAbsError = err;
        result.worst = { input: k, index: i, analytic, numeric };
      }
      if (err > atol + rtol * Math.abs(numeric)) result.ok = false;
    }
  });
  return result;
}

/**
 * Runs {@link gradcheck} and throws a `GradientError` describing the worst element when it fails.
 *
 * @example
 * ```ts run
 * import { type Tensor, randn } from '@elman/core';
 * import { assertGradcheck } from '@elman/core/testing';
 *
 * // A custom composite op: swish(x) = x · sigmoid(x). In a test, this throws if the gradient is wrong.
 * const swish = (x: Tensor): Tensor => x.mul(x.sigmoid());
 * assertGradcheck(swish, [randn([2, 5])]);
 * ```
 */
export function assertGradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const r = gradcheck(fn, inputs, options);
  if (!r.ok && r.worst) {
    const { input, index, analytic, numeric } = r.worst;
    throw new GradientError(
      `gradcheck: input ${input} ${fmtShape(inputs[input]!.shape)} element ${index}: analytic ${analytic}, numeric ${numeric}`,
    );
  }
  return r;
}
