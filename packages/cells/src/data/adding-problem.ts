import { type Generator, Tensor, ValueError, defaultGenerator } from '@elman/core';

/** Options of {@link addingProblem}. */
export interface AddingProblemOptions {
  /** Sequences in the batch, B. */
  batchSize: number;
  /** Time steps T (at least 2). */
  length: number;
  /** Random stream; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/** A batch of the adding problem. */
export interface AddingProblemBatch {
  /** `[B, T, 2]`: channel 0 the values U(0, 1), channel 1 the markers (exactly two 1s per sequence). */
  inputs: Tensor;
  /** `[B, 1]`: the sum of the two marked values. */
  targets: Tensor;
}

/**
 * The adding problem, the classic long-range memory benchmark (Hochreiter & Schmidhuber 1997; in the form of Le et
 * al. 2015): a sequence of random values, one marked in the first half and one in the second; the target is their
 * sum. Predicting the mean, 1, always gives MSE = Var(U₁ + U₂) = 1/6 ≈ 0.167, the baseline a model must beat, and the
 * first marker sits at least T/2 steps before the end, so solving it needs gradients to survive that far.
 *
 * @example
 * ```ts run
 * import { Generator, mseLoss, zeros } from '@elman/core';
 * import { addingProblem } from '@elman/cells';
 *
 * const { inputs, targets } = addingProblem({ batchSize: 4096, length: 100, generator: new Generator(0) }); // [4096, 100, 2], [4096, 1]
 * const baseline = mseLoss(zeros([4096, 1]).add(1), targets).item(); // always predicting the mean, 1
 * console.log(inputs.shape, baseline.toFixed(2)); // [4096, 100, 2] '0.17' (1/6): a model must beat this
 * ```
 */
export function addingProblem(options: AddingProblemOptions): AddingProblemBatch {
  const { batchSize: B, length: T } = options;
  if (!(Number.isInteger(B) && B > 0)) throw new ValueError(`addingProblem: batchSize must be a positive integer, got ${B}`);
  if (!(Number.isInteger(T) && T >= 2)) throw new ValueError(`addingProblem: length must be an integer >= 2, got ${T}`);
  const gen = options.generator ?? defaultGenerator;
  const x = new Float32Array(B * T * 2); // [B, T, 2]
  const y = new Float32Array(B); // [B, 1]
  const half = Math.floor(T / 2);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) x[(b * T + t) * 2] = gen.uniform();
    const first = gen.randint(half);
    const second = half + gen.randint(T - half);
    x[(b * T + first) * 2 + 1] = 1;
    x[(b * T + second) * 2 + 1] = 1;
    y[b] = x[(b * T + first) * 2]! + x[(b * T + second) * 2]!;
  }
  return { inputs: new Tensor(x, [B, T, 2]), targets: new Tensor(y, [B, 1]) };
}
