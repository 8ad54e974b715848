/** Levenshtein distance between two symbol sequences (insertions, deletions and substitutions cost 1). */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  // One row of the dynamic-programming table, reused: O(|b|) memory.
  const row = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** Word and phoneme error rates of a set of predictions. */
export interface ErrorRates {
  /** Fraction of words whose predicted sequence matches none of their references. */
  wer: number;
  /** Σ edit distance to the closest reference / Σ length of that reference. */
  per: number;
}

/**
 * WER and PER of grapheme-to-phoneme predictions, scored against every reference pronunciation of a word (CMUdict
 * lists alternatives; the usual G2P protocol, e.g. Yao & Zweig 2015, counts a match with any of them).
 */
export function errorRates(predictions: readonly (readonly string[])[], references: readonly (readonly (readonly string[])[])[]): ErrorRates {
  if (predictions.length !== references.length || predictions.length === 0) {
    throw new RangeError(`errorRates: need as many predictions as references (≥ 1), got ${predictions.length} and ${references.length}`);
  }
  let wrong = 0;
  let edits = 0;
  let length = 0;
  predictions.forEach((p, i) => {
    let best = Number.POSITIVE_INFINITY;
    let bestLength = 0;
    for (const ref of references[i]!) {
      const d = editDistance(p, ref);
      if (d < best) {
        best = d;
        bestLength = ref.length;
      }
    }
    if (best > 0) wrong++;
    edits += best;
    length += bestLength;
  });
  return { wer: wrong / predictions.length, per: edits / length };
}
