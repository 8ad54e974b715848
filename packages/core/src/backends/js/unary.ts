import type { UnaryOp } from '../backend.js';
import { erf } from './erf.js';
import { fastTanh } from './fast-math.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Element-wise float32 functions; one tight loop per op so V8 keeps each monomorphic. */
export function unary(op: UnaryOp, x: Float32Array, out: Float32Array): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case 'rsqrt':
      for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]!);
      return;
    case 'tanh':
      // The rational fit rounds to the same float32 as Math.tanh except within 5e-11 of a rounding boundary (one ulp
      // then), at a fifth of the library call's cost (fast-math.ts). Sigmoid stays exact: its tiny values keep full
      // relative accuracy there (log σ(x) of very negative x), which 0.5 + 0.5·tanh(x/2) would not.
      for (let i = 0; i < n; i++) out[i] = fastTanh(x[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        // Split by sign so exp never overflows.
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case 'relu':
      // Math.max keeps NaN (torch.relu(nan) is nan); a `v > 0 ? v : 0` ternary would turn it into 0.
      for (let i = 0; i < n; i++) out[i] = Math.max(x[i]!, 0);
      return;
    case 'gelu':
      // Exact GELU x·Φ(x) (Hendrycks & Gimpel 2016), PyTorch's default approximate='none'.
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = 0.5 * v * (1 + erf(v * SQRT1_2));
      }
      return;
    case 'geluDeriv':
      // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = 0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
      }
      return;
    case 'softplus':
      // log(1 + e^x) computed as max(x, 0) + log1p(e^-|x|) to avoid overflow.
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
      }
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
      return;
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      return;
    case 'square':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v * v;
      }
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
      return;
  }
}

/** `out = min(max(x, lo), hi)`; NaN stays NaN. */
export function clamp(x: Float32Array, lo: number, hi: number, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    out[i] = Math.min(Math.max(x[i]!, lo), hi);
  }
}
