import { type Generator, ValueError } from '@elman/core';

/** How generation picks each token from the logits. */
export interface SamplingOptions {
  /** Softmax temperature: 1 samples from the model, < 1 sharpens, 0 is greedy (argmax). Default 1. */
  temperature?: number;
  /** Sample only among the `topK` largest logits (Fan et al. 2018); ties at the k-th value are all kept. */
  topK?: number;
}

/** Checks {@link SamplingOptions}, naming `op` in errors. */
export function checkSampling(op: string, options: SamplingOptions, vocabSize: number): void {
  const t = options.temperature ?? 1;
  if (!(Number.isFinite(t) && t >= 0)) throw new ValueError(`${op}: temperature must be a finite number ≥ 0, got ${t}`);
  const k = options.topK;
  if (k !== undefined && !(Number.isInteger(k) && k >= 1)) {
    throw new ValueError(`${op}: topK must be a positive integer (at most vocabSize ${vocabSize}), got ${k}`);
  }
}

/**
 * Draws one token id from `logits[offset … offset+V−1]`: argmax when the temperature is 0, otherwise one uniform
 * draw from `softmax(logits / temperature)` restricted to the top k. `scratch` (exactly V floats) holds the sorted logits
 * for top-k, so nothing is allocated per token. Sums are taken in float64.
 */
export function sampleToken(
  logits: Float32Array,
  offset: number,
  V: number,
  options: SamplingOptions,
  generator: Generator,
  scratch: Float32Array,
): number {
  let best = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < V; i++) {
    const v = logits[offset + i]!;
    if (v > max) {
      max = v;
      best = i;
    }
  }
  const temperature = options.temperature ?? 1;
  if (temperature === 0) return best;
  let threshold = Number.NEGATIVE_INFINITY;
  const k = options.topK;
  if (k !== undefined && k < V) {
    for (let i = 0; i < V; i++) scratch[i] = logits[offset + i]!;
    scratch.sort();
    threshold = scratch[V - k]!;
  }
  let total = 0;
  for (let i = 0; i < V; i++) {
    const v = logits[offset + i]!;
    if (v >= threshold) total += Math.exp((v - max) / temperature);
  }
  const u = generator.uniform() * total;
  let acc = 0;
  let last = best;
  for (let i = 0; i < V; i++) {
    const v = logits[offset + i]!;
    if (v < threshold) continue;
    acc += Math.exp((v - max) / temperature);
    last = i;
    if (u < acc) return i;
  }
  // Rounding can leave u a hair above the final sum; the last kept token is then the draw.
  return last;
}
