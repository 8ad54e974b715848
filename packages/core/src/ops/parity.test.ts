import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { erf } from '../backends/js/erf.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import type { Reduction } from '../losses/reduction.js';
import { Tensor } from '../tensor.js';
import { testBackends, useBackend } from '../testing/index.js';
import { gelu } from './elementwise/gelu.js';
import { matmul } from './linalg/matmul.js';
import { layerNorm } from './nn/layer-norm.js';
import { logSoftmax, softmax } from './nn/softmax.js';

/** Reference values from NumPy (float64) written by fixtures/make-fixtures.py; regenerate with that script. */
interface Arr {
  shape: number[];
  data: number[];
}
interface MatmulCase { name: string; a: Arr; b: Arr; g: Arr; out: Arr; da: Arr; db: Arr }
interface SoftmaxCase { name: string; axis: number; x: Arr; g: Arr; out: Arr; dx: Arr }
interface CrossEntropyCase {
  name: string;
  axis: number;
  ignoreIndex: number;
  labelSmoothing: number;
  reduction: Reduction;
  logits: Arr;
  target: Arr;
  g?: Arr;
  out: Arr;
  dlogits: Arr;
}
interface LayerNormCase {
  name: string;
  normalizedShape: number[];
  eps: number;
  x: Arr;
  g: Arr;
  out: Arr;
  dx: Arr;
  weight?: Arr;
  bias?: Arr;
  dweight?: Arr;
  dbias?: Arr;
}
interface Fixtures {
  matmul: MatmulCase[];
  softmax: SoftmaxCase[];
  logSoftmax: SoftmaxCase[];
  crossEntropy: CrossEntropyCase[];
  layerNorm: LayerNormCase[];
  erf: { x: Arr; out: Arr };
  gelu: { x: Arr; out: Arr; dx: Arr };
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/ops.json', import.meta.url), 'utf8')) as Fixtures;

const f32 = (a: Arr, requiresGrad = false) => new Tensor(Float32Array.from(a.data), a.shape, requiresGrad);
const i32 = (a: Arr) => new Tensor(Int32Array.from(a.data), a.shape);

/** Within 1e-5 absolute, or 1e-5 relative for values above 1 in magnitude. */
function expectClose(actual: Tensor | null, want: Arr, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(actual!.shape, what).toEqual(want.shape);
  want.data.forEach((w, i) => {
    const v = actual!.data[i]!;
    const tol = 1e-5 * Math.max(1, Math.abs(w));
    if (!(Math.abs(v - w) <= tol)) expect.fail(`${what}[${i}]: got ${v}, want ${w} (tolerance ${tol})`);
  });
}

describe.each(testBackends())('parity with NumPy fixtures (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fixtures.matmul.map((c) => [c.name, c] as const))('matmul %s: forward and gradients', (_n, c) => {
    const a = f32(c.a, true);
    const b = f32(c.b, true);
    const out = matmul(a, b);
    expectClose(out, c.out, 'out');
    out.backward(f32(c.g));
    expectClose(a.grad, c.da, 'da');
    expectClose(b.grad, c.db, 'db');
  });

  it.each(fixtures.softmax.map((c) => [c.name, c] as const))('softmax %s: forward and gradient', (_n, c) => {
    const x = f32(c.x, true);
    const y = softmax(x, c.axis);
    expectClose(y, c.out, 'out');
    y.backward(f32(c.g));
    expectClose(x.grad, c.dx, 'dx');
  });

  it.each(fixtures.logSoftmax.map((c) => [c.name, c] as const))('logSoftmax %s: forward and gradient', (_n, c) => {
    const x = f32(c.x, true);
    const y = logSoftmax(x, c.axis);
    expectClose(y, c.out, 'out');
    y.backward(f32(c.g));
    expectClose(x.grad, c.dx, 'dx');
  });

  it.each(fixtures.crossEntropy.map((c) => [c.name, c] as const))('crossEntropy %s: loss and dL/dlogits', (_n, c) => {
    const logits = f32(c.logits, true);
    const loss = crossEntropy(logits, i32(c.target), {
      axis: c.axis,
      ignoreIndex: c.ignoreIndex,
      labelSmoothing: c.labelSmoothing,
      reduction: c.reduction,
    });
    expectClose(loss, c.out, 'loss');
    loss.backward(c.g ? f32(c.g) : undefined);
    expectClose(logits.grad, c.dlogits, 'dlogits');
  });

  it.each(fixtures.layerNorm.map((c) => [c.name, c] as const))('layerNorm %s: forward and gradients', (_n, c) => {
    const x = f32(c.x, true);
    const w = c.weight ? f32(c.weight, true) : null;
    const b = c.bias ? f32(c.bias, true) : null;
    const y = layerNorm(x, c.normalizedShape, w, b, c.eps);
    expectClose(y, c.out, 'out');
    y.backward(f32(c.g));
    expectClose(x.grad, c.dx, 'dx');
    if (c.dweight) expectClose(w!.grad, c.dweight, 'dweight');
    if (c.dbias) expectClose(b!.grad, c.dbias, 'dbias');
  });

  it('gelu (exact, erf-based) and its gradient', () => {
    const x = f32(fixtures.gelu.x, true);
    const y = gelu(x);
    expectClose(y, fixtures.gelu.out, 'gelu');
    y.backward(new Tensor(new Float32Array(x.size).fill(1), x.shape));
    expectClose(x.grad, fixtures.gelu.dx, 'dgelu');
  });

  it('erf in float64 agrees with math.erf to 1e-13', () => {
    fixtures.erf.x.data.forEach((v, i) => {
      expect(Math.abs(erf(v) - fixtures.erf.out.data[i]!)).toBeLessThan(1e-13);
    });
  });
});
