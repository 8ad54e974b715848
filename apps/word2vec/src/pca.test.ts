import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { pca } from './pca.js';

// Ground truth without a reference implementation: the six points m ± a·u1, m ± b·u2, m ± c·u3 for an orthonormal
// basis u (a rotation of the axes) have mean m and covariance (2a² u1u1ᵀ + 2b² u2u2ᵀ + 2c² u3u3ᵀ) / (n − 1), so the
// principal axes are exactly u1, u2, u3 with variances 2a²/5, 2b²/5, 2c²/5.
function rotation(): number[][] {
  const [p, q] = [0.7, -0.4]; // a rotation about z by p, then about x by q
  const rz = [
    [Math.cos(p), -Math.sin(p), 0],
    [Math.sin(p), Math.cos(p), 0],
    [0, 0, 1],
  ];
  const rx = [
    [1, 0, 0],
    [0, Math.cos(q), -Math.sin(q)],
    [0, Math.sin(q), Math.cos(q)],
  ];
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((s, k) => s + rx[i]![k]! * rz[k]![j]!, 0)));
}

describe('pca', () => {
  const R = rotation();
  const u = [0, 1, 2].map((c) => [0, 1, 2].map((r) => R[r]![c]!)); // columns of R: the rotated axes
  const scales = [5, 2, 0.5];
  const m = [3, -1, 2];
  const rows: number[] = [];
  for (let c = 0; c < 3; c++) for (const sign of [1, -1]) rows.push(...m.map((mi, d) => mi + sign * scales[c]! * u[c]![d]!));

  it('recovers the rotated axes (up to sign), their variances and the mean of a known point cloud', () => {
    const r = pca(rows, 6, 3, 2);
    expect(Array.from(r.mean)).toEqual(m.map((v) => expect.closeTo(v, 12)));
    for (let c = 0; c < 2; c++) {
      const axis = Array.from(r.components.subarray(c * 3, c * 3 + 3));
      const dot = axis.reduce((s, v, d) => s + v * u[c]![d]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 10);
      expect(r.variances[c]).toBeCloseTo((2 * scales[c]! ** 2) / 5, 10);
    }
  });

  it('projects each point onto the axes: ±a on the first, ±b on the second, 0 for the third pair', () => {
    const r = pca(rows, 6, 3, 2);
    const p = Array.from(r.projections, Math.abs);
    expect(p.map((v) => Number(v.toFixed(9)))).toEqual([5, 0, 5, 0, 0, 2, 0, 2, 0, 0, 0, 0]);
  });

  it('rejects inconsistent sizes with a ValueError naming the problem', () => {
    expect(() => pca([1, 2, 3], 2, 2)).toThrow(ValueError);
    expect(() => pca([1, 2, 3], 2, 2)).toThrow(/rows has 3 values, expected n · D = 2 · 2/);
    expect(() => pca([1, 2, 3, 4], 2, 2, 3)).toThrow(/k must be an integer in \[1, 2\], got 3/);
  });
});
