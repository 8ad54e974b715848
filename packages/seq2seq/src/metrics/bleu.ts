import { ValueError } from '@elman/core';

/** Options of {@link corpusBleu}. */
export interface BleuOptions {
  /** Highest n-gram order N (default 4, BLEU-4). */
  maxOrder?: number;
}

/** The result of {@link corpusBleu}. */
export interface BleuResult {
  /** BP · exp(Σ_n log p_n / N), in [0, 1]; 0 when some order has no match. */
  bleu: number;
  /** Clipped n-gram precisions p_1 … p_N over the corpus. */
  precisions: number[];
  /** min(1, exp(1 − r/c)). */
  brevityPenalty: number;
  /** Total candidate length c. */
  candidateLength: number;
  /** Effective reference length r: for each candidate the reference length closest to it (shorter on ties). */
  referenceLength: number;
}

function ngramCounts(seq: readonly (string | number)[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= seq.length; i++) {
    const key = seq.slice(i, i + n).join('\u0001');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/**
 * Corpus-level BLEU (Papineni et al. 2002): n-gram counts clipped by the most any one reference holds, summed over
 * the corpus before dividing, geometric mean of the precisions, times the brevity penalty. Tokens may be ids or
 * strings; every candidate has one or more references.
 *
 * @example
 * ```ts run
 * import { corpusBleu } from '@elman/seq2seq';
 *
 * const candidates = [['the', 'cat', 'sat', 'on', 'the', 'mat']];
 * const references = [[['the', 'cat', 'is', 'on', 'the', 'mat'], ['there', 'is', 'a', 'cat', 'on', 'the', 'mat']]];
 * const { bleu, precisions, brevityPenalty } = corpusBleu(candidates, references, { maxOrder: 2 });
 * console.log(bleu.toFixed(3), precisions, brevityPenalty); // token ids (numbers) work the same way
 * ```
 */
export function corpusBleu(
  candidates: readonly (readonly (string | number)[])[],
  references: readonly (readonly (readonly (string | number)[])[])[],
  options: BleuOptions = {},
): BleuResult {
  const N = options.maxOrder ?? 4;
  if (!(Number.isInteger(N) && N >= 1)) throw new ValueError(`corpusBleu: maxOrder must be a positive integer, got ${N}`);
  if (candidates.length !== references.length) {
    throw new ValueError(`corpusBleu: ${candidates.length} candidates but ${references.length} reference sets`);
  }
  if (candidates.length === 0) throw new ValueError('corpusBleu: no candidates to score');
  const matched = new Array<number>(N).fill(0);
  const possible = new Array<number>(N).fill(0);
  let c = 0;
  let r = 0;
  for (let i = 0; i < candidates.length; i++) {
    const cand = candidates[i]!;
    const refs = references[i]!;
    if (refs.length === 0) throw new ValueError(`corpusBleu: candidate ${i} has no reference`);
    c += cand.length;
    let best = refs[0]!.length;
    for (const ref of refs) {
      const d = Math.abs(ref.length - cand.length);
      const bd = Math.abs(best - cand.length);
      if (d < bd || (d === bd && ref.length < best)) best = ref.length;
    }
    r += best;
    for (let n = 1; n <= N; n++) {
      const counts = ngramCounts(cand, n);
      const maxRef = new Map<string, number>();
      for (const ref of refs) for (const [k, v] of ngramCounts(ref, n)) maxRef.set(k, Math.max(maxRef.get(k) ?? 0, v));
      for (const [k, v] of counts) matched[n - 1]! += Math.min(v, maxRef.get(k) ?? 0);
      possible[n - 1]! += Math.max(0, cand.length - n + 1);
    }
  }
  const precisions = matched.map((m, n) => (possible[n]! > 0 ? m / possible[n]! : 0));
  const brevityPenalty = c === 0 ? 0 : c > r ? 1 : Math.exp(1 - r / c);
  const logMean = precisions.every((p) => p > 0) ? precisions.reduce((s, p) => s + Math.log(p), 0) / N : Number.NEGATIVE_INFINITY;
  return { bleu: brevityPenalty * Math.exp(logMean), precisions, brevityPenalty, candidateLength: c, referenceLength: r };
}
