import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { testBackends, useBackend } from '../testing/index.js';
import { clipGradNorm, clipGradValue } from './clip-grad.js';

// Norms and clipped gradients computed in float64 NumPy by fixtures/make-fixtures.py.
interface ClipCase {
  name: string;
  normType: number | 'inf';
  maxNorm: number;
  shapes: number[][];
  grads: number[][];
  total: number;
  expected: number[][];
}
const cases = (
  JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as { clipping: ClipCase[] }
).clipping;

function withGrads(grads: number[][], shapes: number[][]): Tensor[] {
  return grads.map((g, i) => {
    const p = tensor(new Float32Array(g.length), shapes[i], { requiresGrad: true });
    p.grad = tensor(g, shapes[i]);
    return p;
  });
}

describe.each(testBackends())('gradient clipping (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(cases.map((c) => [c.name, c] as const))('clipGradNorm: %s', (_name, c) => {
    const ps = withGrads(c.grads, c.shapes);
    const normType = c.normType === 'inf' ? Number.POSITIVE_INFINITY : c.normType;
    const total = clipGradNorm(ps, c.maxNorm, normType);
    expect(Math.abs(total - c.total)).toBeLessThan(1e-6 * c.total);
    ps.forEach((p, i) => {
      const want = c.expected[i]!;
      p.grad!.f32.forEach((v, j) => {
        expect(Math.abs(v - want[j]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(want[j]!)));
      });
    });
    // The clipped gradients have (almost exactly) the allowed norm.
    if (c.total > c.maxNorm) {
      const again = clipGradNorm(ps, Number.POSITIVE_INFINITY, normType);
      expect(Math.abs(again - c.maxNorm)).toBeLessThan(1e-5 * c.maxNorm);
    }
  });

  it('clipGradNorm skips parameters without gradients and returns 0 when there are none', () => {
    const [p, q] = withGrads([[3, 4], [0]], [[2], [1]]);
    const bare = tensor([100, 100], undefined, { requiresGrad: true });
    expect(clipGradNorm([p!, bare, q!], 1)).toBe(5);
    expect(bare.grad).toBeNull();
    expect(clipGradNorm([bare], 1)).toBe(0);
  });

  it('clipGradNorm throws on a non-finite norm unless told not to', () => {
    const [p] = withGrads([[1, Number.POSITIVE_INFINITY, 2]], [[3]]);
    expect(() => clipGradNorm([p!], 1)).toThrow(ValueError);
    expect(() => clipGradNorm([p!], 1, Number.POSITIVE_INFINITY)).toThrow(
      /^clipGradNorm: the total Infinity-norm of the gradients is Infinity; pass \{errorIfNonfinite: false\}/,
    );
    const [q] = withGrads([[1, Number.NaN, 2]], [[3]]);
    expect(() => clipGradNorm([q!], 1, Number.POSITIVE_INFINITY)).toThrow(/is NaN/);
    expect(() => clipGradNorm([q!], 1)).toThrow(/is NaN/);
    // As in PyTorch: an infinite norm scales by 0, so finite entries vanish and infinite ones become NaN.
    expect(clipGradNorm([p!], 1, 2, { errorIfNonfinite: false })).toBe(Number.POSITIVE_INFINITY);
    expect([...p!.grad!.f32]).toEqual([0, Number.NaN, 0]);
  });

  it('clipGradNorm rejects bad arguments', () => {
    const ps = withGrads([[1]], [[1]]);
    expect(() => clipGradNorm(ps, -1)).toThrow(/^clipGradNorm: maxNorm must be a number >= 0, got -1$/);
    expect(() => clipGradNorm(ps, 1, 0)).toThrow(/^clipGradNorm: normType must be > 0 or Infinity, got 0$/);
    expect(() => clipGradNorm(ps, 1, Number.NaN)).toThrow(ValueError);
  });

  it('clipGradValue clamps every element into [-v, v]', () => {
    const ps = withGrads(
      [
        [0.5, -3, 2, -0.1],
        [10, -10],
      ],
      [[2, 2], [2]],
    );
    clipGradValue(ps, 1);
    expect(ps.map((p) => [...p.grad!.f32])).toEqual([
      [0.5, -1, 1, Math.fround(-0.1)],
      [1, -1],
    ]);
    expect(() => clipGradValue(ps, -1)).toThrow(/^clipGradValue: clipValue must be a number >= 0, got -1$/);
  });
});
