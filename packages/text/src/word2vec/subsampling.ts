/**
 * word2vec.c's frequent-word subsampling (Mikolov et al. 2013, §2.3, in the form the C tool implements): with
 * `t = sample · totalWords`, an occurrence of a word seen `count` times is kept with probability
 * `(√(count / t) + 1) · t / count` (values above 1 mean always kept). `sample = 0` disables subsampling.
 */
export function keepProbability(count: number, totalWords: number, sample: number): number {
  if (sample <= 0) return 1;
  const t = sample * totalWords;
  return (Math.sqrt(count / t) + 1) * (t / count);
}

/** {@link keepProbability} of every word, indexed by word id. */
export function keepProbabilities(counts: ArrayLike<number>, totalWords: number, sample: number): Float64Array {
  const keep = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) keep[i] = keepProbability(counts[i]!, totalWords, sample);
  return keep;
}
