import { beforeAll, describe, expect, it } from 'vitest';
import { record } from '../autograd/record.js';
import { tensor } from '../creation.js';
import { GradientError } from '../errors.js';
import { mul } from '../ops/elementwise/mul.js';
import { Tensor } from '../tensor.js';
import { assertGradcheck, gradcheck } from './gradcheck.js';
import { testBackends, useBackend } from './backends.js';

/** x³ with a deliberately wrong derivative (2x² instead of 3x²). */
function badCube(x: Tensor): Tensor {
  const y = new Tensor(x.f32.map((v) => v * v * v), x.shape);
  return record('badCube', [x], y, { x }, (g, s) => [mul(g, mul(mul(s.x, s.x), 2))]);
}

describe.each(testBackends())('gradcheck (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('accepts a correct gradient', () => {
    const r = gradcheck((x) => x!.mul(x!).mul(x!), [tensor([0.5, -1, 2])]);
    expect(r.ok).toBe(true);
    expect(r.maxAbsError).toBeLessThan(1e-3);
  });

  it('catches a wrong gradient and reports the worst element', () => {
    const r = gradcheck((x) => badCube(x!), [tensor([0.5, -1, 2])]);
    expect(r.ok).toBe(false);
    // Each element's error is |w_i|·x_i² for the random output weight w_i, and the ratio is the 2/3 of the bug.
    expect(r.worst!.input).toBe(0);
    expect(r.worst!.analytic / r.worst!.numeric).toBeCloseTo(2 / 3, 3);
    expect(r.maxAbsError).toBeGreaterThan(0.1);
    expect(() => assertGradcheck((x) => badCube(x!), [tensor([0.5, -1, 2])])).toThrow(GradientError);
    expect(() => assertGradcheck((x) => badCube(x!), [tensor([0.5, -1, 2])])).toThrow(/^gradcheck: input 0 \[3\] element \d: analytic /);
  });

  it('catches a missing gradient (an input the op forgot to record)', () => {
    const forgetful = (x: Tensor, y: Tensor) => x.mul(y.detach());
    expect(gradcheck((x, y) => forgetful(x!, y!), [tensor([1, 2]), tensor([3, 4])]).ok).toBe(false);
  });

  it('skips int32 inputs and samples at most maxElements per input', () => {
    const idx = tensor([1, 0], undefined, { dtype: 'int32' });
    const r = gradcheck((x, i) => x!.indexSelect(0, i!), [tensor([1, 2, 3]), idx]);
    expect(r.ok).toBe(true);
    expect(idx.requiresGrad).toBe(false);
    let calls = 0;
    gradcheck((x) => {
      calls++;
      return x!.mul(2);
    }, [new Tensor(new Float32Array(100), [100])], { maxElements: 10 });
    expect(calls).toBe(1 + 2 * 10);
  });
});
