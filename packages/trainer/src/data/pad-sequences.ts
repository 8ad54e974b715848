import { type DType, ShapeError, Tensor, ValueError, fmtShape } from '@elman/core';

/** Options of {@link padSequences}. */
export interface PadSequencesOptions {
  /** Pad (and truncate) to this many steps; default the longest sequence. */
  maxLength?: number;
  /** Fill value of the padding. Default 0. */
  value?: number;
}

/** What {@link padSequences} returns. */
export interface PaddedSequences {
  /** `[B, T, ...]` sequences, right-padded with `value`. */
  padded: Tensor;
  /** `[B]` valid lengths (after truncation), the `lengths` the recurrent layers take. */
  lengths: Int32Array;
  /** int32 `[B, T]`, 1 at padding positions (masked out, as PyTorch's `key_padding_mask`), 0 at valid steps. */
  mask: Tensor;
}

/**
 * Right-pads variable-length sequences into one batch tensor, as PyTorch's `pad_sequence(batch_first=True)`.
 * Each sequence is a tensor `[t_i, ...]` (all with the same trailing shape and dtype) or an array of numbers
 * (`[t_i]`); sequences longer than `maxLength` keep their first `maxLength` steps.
 *
 * @example
 * ```ts run
 * import { padSequences } from '@elman/trainer';
 *
 * const { padded, lengths, mask } = padSequences([[5, 3, 8], [2], [7, 7]], { value: 0 });
 * console.log(padded.toArray()); // [[5, 3, 8], [2, 0, 0], [7, 7, 0]]: right-padded [B, T]
 * console.log(lengths, mask.shape); // Int32Array [3, 1, 2], [3, 3]; pass lengths to forward(x, {lengths})
 * ```
 */
export function padSequences(sequences: readonly (Tensor | readonly number[])[], options: PadSequencesOptions = {}): PaddedSequences {
  if (sequences.length === 0) throw new ValueError('padSequences: needs at least one sequence');
  const seqs = sequences.map((s) => (s instanceof Tensor ? s : new Tensor(Float32Array.from(s), [s.length])));
  const first = seqs[0]!;
  if (first.rank === 0) throw new ShapeError('padSequences: sequence 0 is a scalar []; sequences need a time axis');
  const tail = first.shape.slice(1);
  for (const [i, s] of seqs.entries()) {
    if (s.dtype !== first.dtype || s.rank !== first.rank || s.shape.some((d, k) => k > 0 && d !== first.shape[k])) {
      throw new ShapeError(
        `padSequences: sequence ${i} is ${s.dtype} ${fmtShape(s.shape)} but sequence 0 is ${first.dtype} ${fmtShape(first.shape)}; ` +
          'only the first (time) axis may differ',
      );
    }
  }
  const longest = Math.max(...seqs.map((s) => s.shape[0]!));
  const steps = options.maxLength ?? longest;
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`padSequences: maxLength must be an integer >= 0, got ${steps}`);
  const value = options.value ?? 0;
  if (first.dtype === 'int32' && !Number.isInteger(value)) {
    throw new ValueError(`padSequences: int32 sequences need an integer padding value, got ${value}`);
  }
  const stepSize = tail.reduce((a, b) => a * b, 1);
  const padded = alloc(first.dtype, seqs.length * steps * stepSize).fill(value);
  const lengths = new Int32Array(seqs.length);
  const mask = new Int32Array(seqs.length * steps).fill(1);
  seqs.forEach((s, b) => {
    const len = Math.min(s.shape[0]!, steps);
    lengths[b] = len;
    padded.set(s.data.subarray(0, len * stepSize), b * steps * stepSize);
    mask.fill(0, b * steps, b * steps + len);
  });
  return {
    padded: new Tensor(padded, [seqs.length, steps, ...tail]), // [B, T, ...]
    lengths,
    mask: new Tensor(mask, [seqs.length, steps]), // [B, T]
  };
}

function alloc(dtype: DType, n: number): Float32Array | Int32Array {
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}
