import { ValueError } from '@elman/core';

/**
 * Walker's alias table for drawing negative samples from the unigram distribution raised to 0.75
 * (Mikolov et al. 2013): word `w` is drawn with probability `count[w]^0.75 / Σ count^0.75`. word2vec.c fills a
 * 10^8-entry table (400 MB, quantised to 1e-8); the alias table is exact, takes 8 bytes per word and stays in
 * cache, and a draw is one bucket pick plus one coin flip (`sampleNoise` in kernel.ts).
 */
export interface NoiseTable {
  /** Probability of keeping bucket `i` itself rather than its alias. */
  prob: Float64Array;
  /** The word a bucket falls back to. */
  alias: Int32Array;
}

/** Builds the alias table of `count^power` (Vose 1991, "A linear algorithm for generating random numbers with a given distribution"). */
export function buildNoiseTable(counts: ArrayLike<number>, power = 0.75): NoiseTable {
  const V = counts.length;
  if (V === 0) throw new ValueError('buildNoiseTable: no words');
  const weight = new Float64Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) {
    const c = counts[i]!;
    if (!(c > 0 && Number.isFinite(c))) throw new ValueError(`buildNoiseTable: count of word ${i} is ${c}; counts must be positive`);
    weight[i] = c ** power;
    total += weight[i]!;
  }
  // Scaled so the average bucket holds exactly 1; buckets below 1 are topped up by one above 1.
  const scaled = new Float64Array(V);
  for (let i = 0; i < V; i++) scaled[i] = (weight[i]! * V) / total;
  const prob = new Float64Array(V);
  const alias = new Int32Array(V);
  const small = new Int32Array(V);
  const large = new Int32Array(V);
  let ns = 0;
  let nl = 0;
  for (let i = V - 1; i >= 0; i--) {
    if (scaled[i]! < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns]!;
    const l = large[nl - 1]!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  // What is left holds 1 up to rounding error.
  while (nl > 0) {
    const l = large[--nl]!;
    prob[l] = 1;
    alias[l] = l;
  }
  while (ns > 0) {
    const s = small[--ns]!;
    prob[s] = 1;
    alias[s] = s;
  }
  return { prob, alias };
}
