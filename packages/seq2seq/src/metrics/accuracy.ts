import { ValueError } from '@elman/core';

/** Options of {@link tokenAccuracy} and {@link exactMatch}. */
export interface SequenceMetricOptions {
  /** Token ids removed from both sides before comparing (e.g. PAD and END). */
  ignore?: readonly number[];
}

function strip(seq: readonly number[], ignore: ReadonlySet<number>): number[] {
  return ignore.size === 0 ? [...seq] : seq.filter((t) => !ignore.has(t));
}

function checkPairs(op: string, predictions: readonly (readonly number[])[], references: readonly (readonly number[])[]): void {
  if (predictions.length !== references.length) {
    throw new ValueError(`${op}: ${predictions.length} predictions but ${references.length} references`);
  }
  if (predictions.length === 0) throw new ValueError(`${op}: no sequences to score`);
}

/**
 * Position-wise token accuracy: the fraction of reference tokens whose prediction at the same position is equal
 * (a prediction that is too short misses the rest; extra predicted tokens count as errors against the total).
 */
export function tokenAccuracy(
  predictions: readonly (readonly number[])[],
  references: readonly (readonly number[])[],
  options: SequenceMetricOptions = {},
): number {
  checkPairs('tokenAccuracy', predictions, references);
  const ignore = new Set(options.ignore ?? []);
  let correct = 0;
  let total = 0;
  for (let i = 0; i < predictions.length; i++) {
    const p = strip(predictions[i]!, ignore);
    const r = strip(references[i]!, ignore);
    total += Math.max(p.length, r.length);
    for (let j = 0; j < Math.min(p.length, r.length); j++) if (p[j] === r[j]) correct++;
  }
  if (total === 0) throw new ValueError('tokenAccuracy: every sequence is empty');
  return correct / total;
}

/**
 * Fraction of predictions identical to their reference.
 *
 * @example
 * ```ts run
 * import { exactMatch, tokenAccuracy } from '@elman/seq2seq';
 *
 * const END = 2;
 * const predictions = [[7, 6, 5, END], [9, 9, END]];
 * const references = [[7, 6, 5, END], [9, 8, END]];
 * console.log(exactMatch(predictions, references, { ignore: [END] })); // 0.5
 * console.log(tokenAccuracy(predictions, references, { ignore: [END] })); // 4 of 5 tokens: 0.8
 * ```
 */
export function exactMatch(
  predictions: readonly (readonly number[])[],
  references: readonly (readonly number[])[],
  options: SequenceMetricOptions = {},
): number {
  checkPairs('exactMatch', predictions, references);
  const ignore = new Set(options.ignore ?? []);
  let hits = 0;
  for (let i = 0; i < predictions.length; i++) {
    const p = strip(predictions[i]!, ignore);
    const r = strip(references[i]!, ignore);
    if (p.length === r.length && p.every((t, j) => t === r[j])) hits++;
  }
  return hits / predictions.length;
}
