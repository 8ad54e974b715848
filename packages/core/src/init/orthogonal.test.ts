import { beforeAll, describe, expect, it } from 'vitest';
import { zeros } from '../creation.js';
import { ShapeError } from '../errors.js';
import { Generator } from '../random.js';
import { testBackends, useBackend } from '../testing/index.js';
import type { Tensor } from '../tensor.js';
import { orthogonal_ } from './orthogonal.js';

/** Max |(A·Aᵀ or Aᵀ·A) − scale·I| over the Gram matrix of the smaller side, in float64. */
function gramError(t: Tensor, scale = 1): number {
  const rows = t.shape[0]!;
  const cols = t.size / rows;
  const wide = rows <= cols;
  const n = wide ? rows : cols;
  const at = (i: number, j: number) => t.data[i * cols + j]!;
  let err = 0;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let s = 0;
      const len = wide ? cols : rows;
      for (let k = 0; k < len; k++) s += wide ? at(p, k) * at(q, k) : at(k, p) * at(k, q);
      err = Math.max(err, Math.abs(s - (p === q ? scale : 0)));
    }
  }
  return err;
}

/** The Gaussian matrix `orthogonal_` draws for a seed (same generator calls, row-major). */
function gaussian(rows: number, cols: number, seed: number): Float64Array {
  const gen = new Generator(seed);
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = gen.normal();
  return a;
}

describe.each(testBackends())('orthogonal_ (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each([
    [8, 8],
    [10, 4],
    [4, 10],
    [1, 5],
    [64, 64],
  ])('gives orthonormal rows or columns for [%i, %i]', (rows, cols) => {
    const t = orthogonal_(zeros([rows, cols]), { generator: new Generator(rows * 31 + cols) });
    expect(gramError(t)).toBeLessThan(1e-5);
  });

  it('scales by gain and flattens trailing axes', () => {
    expect(gramError(orthogonal_(zeros([6, 6]), { gain: 2, generator: new Generator(1) }), 4)).toBeLessThan(4e-5);
    const t = orthogonal_(zeros([3, 2, 4]), { generator: new Generator(2) }); // viewed as [3, 8]
    expect(gramError(t)).toBeLessThan(1e-5);
  });

  it('is the Q of the Gaussian matrix with R’s diagonal made positive, as PyTorch', () => {
    // Tall: A = QR, so R = QᵀA must be upper triangular with a positive diagonal.
    for (const [rows, cols, seed] of [
      [7, 4, 3],
      [4, 7, 4],
    ] as const) {
      const q = orthogonal_(zeros([rows, cols]), { generator: new Generator(seed) }).data;
      const a = gaussian(rows, cols, seed);
      // In the wide case PyTorch factors Aᵀ (cols × rows) and returns Qᵀ; swap roles accordingly.
      const m = Math.max(rows, cols);
      const n = Math.min(rows, cols);
      const Q = (i: number, j: number) => (rows >= cols ? q[i * cols + j]! : q[j * cols + i]!);
      const A = (i: number, j: number) => (rows >= cols ? a[i * cols + j]! : a[j * cols + i]!);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let r = 0;
          for (let k = 0; k < m; k++) r += Q(k, i) * A(k, j);
          if (i > j) expect(Math.abs(r)).toBeLessThan(1e-5);
          if (i === j) expect(r).toBeGreaterThan(0);
        }
      }
    }
  });

  it('same seed → same matrix; rejects 1-D tensors', () => {
    const a = orthogonal_(zeros([5, 3]), { generator: new Generator(9) });
    const b = orthogonal_(zeros([5, 3]), { generator: new Generator(9) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(() => orthogonal_(zeros([5]))).toThrow(ShapeError);
    expect(orthogonal_(zeros([0, 3])).shape).toEqual([0, 3]);
  });
});
