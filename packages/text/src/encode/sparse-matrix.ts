import { ShapeError, type Tensor, ValueError, tensor } from '@elman/core';

/**
 * A sparse `[rows, cols]` float32 matrix in compressed sparse row (CSR) form, the layout of
 * `scipy.sparse.csr_matrix`: the non-zeros of row `r` are `values[indptr[r] .. indptr[r + 1])` at columns
 * `indices[indptr[r] .. indptr[r + 1])`, columns increasing within a row.
 */
export class SparseMatrix {
  /** `[rows, cols]`. */
  readonly shape: readonly [number, number];
  /** Row start offsets into `indices` / `values`, length `rows + 1`. */
  readonly indptr: Int32Array;
  /** Column of each stored value. */
  readonly indices: Int32Array;
  /** The stored values. */
  readonly values: Float32Array;

  /** Wraps CSR arrays after checking that they are consistent with `shape`. */
  constructor(shape: readonly [number, number], indptr: Int32Array, indices: Int32Array, values: Float32Array) {
    const [rows, cols] = shape;
    if (indptr.length !== rows + 1 || indptr[0] !== 0 || indptr[rows] !== indices.length || indices.length !== values.length) {
      throw new ShapeError(
        `SparseMatrix: indptr has ${indptr.length} entries (need ${rows + 1}, first 0, last ${indices.length}), indices ${indices.length}, values ${values.length}`,
      );
    }
    for (let r = 0; r < rows; r++) {
      for (let k = indptr[r]!; k < indptr[r + 1]!; k++) {
        const c = indices[k]!;
        if (c < 0 || c >= cols || (k > indptr[r]! && c <= indices[k - 1]!)) {
          throw new ValueError(`SparseMatrix: row ${r} has column ${c}, not increasing within [0, ${cols})`);
        }
      }
    }
    this.shape = [rows, cols];
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  /** Number of stored values. */
  get nnz(): number {
    return this.values.length;
  }

  /** The dense float32 `[rows, cols]` tensor. */
  toDense(): Tensor {
    const [rows, cols] = this.shape;
    const out = new Float32Array(rows * cols); // [rows, cols]
    for (let r = 0; r < rows; r++) {
      for (let k = this.indptr[r]!; k < this.indptr[r + 1]!; k++) out[r * cols + this.indices[k]!] = this.values[k]!;
    }
    return tensor(out, [rows, cols]);
  }
}
