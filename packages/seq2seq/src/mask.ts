import { DTypeError, ShapeError, Tensor, ValueError, fmtShape } from '@elman/core';

/** A key-padding mask: an int32 tensor `[B, S]` with 1 = masked out, or nested booleans with `true` = masked out. */
export type KeyPaddingMask = Tensor | readonly (readonly boolean[])[];

/**
 * Normalises a key-padding mask to an int32 tensor `[B, S]` (1 = masked out) and checks that every row keeps at
 * least one key, since a softmax over no keys has no meaning (PyTorch returns NaN there; we refuse).
 */
export function toKeyPaddingMask(op: string, mask: KeyPaddingMask, B: number, S: number): Tensor {
  let t: Tensor;
  if (mask instanceof Tensor) {
    if (mask.dtype !== 'int32') throw new DTypeError(`${op}: keyPaddingMask must be int32 (1 = masked out), got ${mask.dtype}`);
    t = mask;
  } else if (Array.isArray(mask)) {
    const data = new Int32Array(mask.length * (mask[0]?.length ?? 0));
    const rowLen = mask[0]?.length ?? 0;
    for (let b = 0; b < mask.length; b++) {
      const row = mask[b]!;
      if (!Array.isArray(row) || row.length !== rowLen) {
        throw new ShapeError(`${op}: keyPaddingMask rows must all have length ${rowLen}, row ${b} differs`);
      }
      for (let s = 0; s < rowLen; s++) data[b * rowLen + s] = row[s] === true ? 1 : 0;
    }
    t = new Tensor(data, [mask.length, rowLen]);
  } else {
    throw new ValueError(`${op}: keyPaddingMask must be an int32 Tensor or nested booleans, got ${String(mask)}`);
  }
  if (t.rank !== 2 || t.shape[0] !== B || t.shape[1] !== S) {
    throw new ShapeError(`${op}: keyPaddingMask must be [B, S] = ${fmtShape([B, S])}, got ${fmtShape(t.shape)}`);
  }
  const d = t.data as Int32Array;
  for (let b = 0; b < B; b++) {
    let open = false;
    for (let s = 0; s < S; s++) if (d[b * S + s] === 0) open = true;
    if (!open) throw new ValueError(`${op}: keyPaddingMask masks every key of batch row ${b}; at least one must stay`);
  }
  return t;
}

/** The result of {@link paddingMask}. */
export interface PaddingMaskResult {
  /** int32 `[B, S]`, 1 where the id is PAD. */
  mask: Tensor;
  /** Valid length of every row: one past its last non-PAD position. */
  lengths: Int32Array;
}

/**
 * The padding mask `[B, S]` (1 where `ids` equals `padId`) and each row's valid length (right padding assumed).
 *
 * @example
 * ```ts run
 * import { tensor } from '@elman/core';
 * import { paddingMask } from '@elman/seq2seq';
 *
 * const PAD = 0;
 * const src = tensor([[4, 9, 7], [5, PAD, PAD]], undefined, { dtype: 'int32' }); // [B, S]
 * const { mask, lengths } = paddingMask(src, PAD);
 * console.log(mask.toArray(), lengths); // [[0, 0, 0], [0, 1, 1]] Int32Array [3, 1]
 * ```
 */
export function paddingMask(ids: Tensor, padId: number): PaddingMaskResult {
  const [B, S] = ids.shape as [number, number];
  const src = ids.data as Int32Array;
  const mask = new Int32Array(B * S);
  const lengths = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let s = 0; s < S; s++) {
      const pad = src[b * S + s] === padId;
      mask[b * S + s] = pad ? 1 : 0;
      if (!pad) n = s + 1;
    }
    lengths[b] = n;
  }
  return { mask: new Tensor(mask, [B, S]), lengths };
}
