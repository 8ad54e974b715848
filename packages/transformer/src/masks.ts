import { ShapeError, Tensor, fmtShape } from '@elman/core';

/** Nested arrays of booleans, `true` = masked out (PyTorch's boolean masks). */
export type BooleanMask = readonly boolean[] | readonly BooleanMask[];

/**
 * An attention mask, following PyTorch: an int32 tensor (non-zero = masked out), nested boolean arrays
 * (`true` = masked out), or a float32 tensor that is added to the attention scores (PyTorch's float masks:
 * 0 keeps a position, `-Infinity` removes it, other values bias it).
 */
export type AttentionMask = Tensor | BooleanMask;

/**
 * Turns a mask into a tensor: nested booleans become int32 (1 = masked out); tensors are returned as they are.
 * Ragged arrays or non-boolean elements are a `ShapeError` naming `op` and `arg`.
 */
export function maskTensor(op: string, arg: string, mask: AttentionMask): Tensor {
  if (mask instanceof Tensor) return mask;
  const shape: number[] = [];
  let cur: unknown = mask;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Int32Array(size);
  let at = 0;
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== 'boolean') {
        throw new ShapeError(`${op}: ${arg} must hold booleans (true = masked out), found ${typeof node} at depth ${depth}`);
      }
      data[at++] = node ? 1 : 0;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(`${op}: ${arg} is ragged: expected length ${shape[depth]} at depth ${depth}`);
    }
    for (const child of node) walk(child, depth + 1);
  };
  walk(mask, 0);
  return new Tensor(data, shape);
}

/**
 * The additive score bias of a mask tensor: int32 masks become float32 with `-Infinity` where masked and 0 elsewhere
 * (so the softmax gives those keys exactly 0 weight); float32 masks are already additive and are returned unchanged.
 */
export function maskBias(mask: Tensor): Tensor {
  if (mask.dtype === 'float32') return mask;
  const m = mask.data as Int32Array;
  const bias = new Float32Array(m.length);
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) bias[i] = Number.NEGATIVE_INFINITY;
  return new Tensor(bias, mask.shape);
}

/** Throws a `ShapeError` naming `op` and `arg` unless `t` has one of the `allowed` shapes. */
export function checkMaskShape(op: string, arg: string, t: Tensor, allowed: readonly (readonly number[])[]): void {
  const ok = allowed.some((s) => s.length === t.rank && s.every((d, i) => d === t.shape[i]));
  if (!ok) {
    const want = allowed.map((s) => fmtShape(s)).join(' or ');
    throw new ShapeError(`${op}: ${arg} must be ${want}, got ${fmtShape(t.shape)}`);
  }
}

/**
 * The causal mask of `size` positions as an int32 `[size, size]` tensor with 1 (masked out) above the diagonal:
 * position i may attend to positions j ≤ i. PyTorch's `generate_square_subsequent_mask` returns the equivalent float
 * mask (`-inf` above the diagonal); Elman's masks are int32 with 1 = masked out (DESIGN §9), and a float mask is also
 * accepted wherever a mask is.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { MultiheadAttention, generateSquareSubsequentMask } from '@elman/transformer';
 *
 * const attnMask = generateSquareSubsequentMask(4); // [4, 4], int32 1 above the diagonal = masked out
 * console.log(attnMask.toArray()); // [[0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0]]
 * const x = randn([1, 4, 8]);
 * new MultiheadAttention({ embedDim: 8, numHeads: 2 }).forward(x, x, x, { attnMask }); // the same as isCausal: true
 * ```
 */
export function generateSquareSubsequentMask(size: number): Tensor {
  return causalMask(size, size);
}

/** Int32 `[T, S]` mask with 1 where key j comes after query i (j > i), top-left aligned like PyTorch's `is_causal`. */
export function causalMask(T: number, S: number): Tensor {
  const data = new Int32Array(T * S);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < S; j++) data[i * S + j] = 1;
  return new Tensor(data, [T, S]);
}
