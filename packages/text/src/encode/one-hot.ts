import { DTypeError, Tensor, ValueError } from '@elman/core';
import { SparseMatrix } from './sparse-matrix.js';

/** Class ids: an int32 tensor of any shape, or a flat list. */
export type Ids = Tensor | readonly number[] | Int32Array;

function flatIds(op: string, ids: Ids, numClasses: number): { data: ArrayLike<number>; shape: readonly number[] } {
  if (!(Number.isInteger(numClasses) && numClasses > 0)) {
    throw new ValueError(`${op}: numClasses must be a positive integer, got ${numClasses}`);
  }
  let data: ArrayLike<number>;
  let shape: readonly number[];
  if (ids instanceof Tensor) {
    if (ids.dtype !== 'int32') throw new DTypeError(`${op}: ids must be int32, got ${ids.dtype} of shape [${ids.shape.join(', ')}]`);
    data = ids.data;
    shape = ids.shape;
  } else {
    data = ids;
    shape = [ids.length];
  }
  for (let i = 0; i < data.length; i++) {
    const id = data[i]!;
    if (!(Number.isInteger(id) && id >= 0 && id < numClasses)) {
      throw new ValueError(`${op}: id ${id} at flat position ${i} is out of range for numClasses ${numClasses}`);
    }
  }
  return { data, shape };
}

/**
 * One-hot encoding (PyTorch's `F.one_hot`): ids of shape `S` → float32 tensor `[...S, numClasses]` with a single
 * 1 in each row.
 *
 * @example
 * ```ts run
 * import { tensor } from '@elman/core';
 * import { oneHot } from '@elman/text';
 *
 * console.log(oneHot([2, 0], 3).toArray()); // [[0, 0, 1], [1, 0, 0]]
 * const ids = tensor([[1, 2], [0, 0]], undefined, { dtype: 'int32' }); // [B, T]
 * console.log(oneHot(ids, 4).shape); // [2, 2, 4]: one-hot inputs for an RNN
 * ```
 */
export function oneHot(ids: Ids, numClasses: number): Tensor {
  const { data, shape } = flatIds('oneHot', ids, numClasses);
  const out = new Float32Array(data.length * numClasses); // [...S, C]
  for (let i = 0; i < data.length; i++) out[i * numClasses + data[i]!] = 1;
  return new Tensor(out, [...shape, numClasses]);
}

/**
 * The same one-hot rows in sparse index form: a `[N, numClasses]` {@link SparseMatrix} (N = number of ids, any
 * input shape flattened) whose row `i` stores a single 1 at column `ids[i]`. Memory is O(N), not O(N·C).
 */
export function oneHotSparse(ids: Ids, numClasses: number): SparseMatrix {
  const { data } = flatIds('oneHotSparse', ids, numClasses);
  const n = data.length;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) indptr[i] = i;
  return new SparseMatrix([n, numClasses], indptr, Int32Array.from(data), new Float32Array(n).fill(1));
}
