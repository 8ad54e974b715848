// Element-wise kernels. Buffers come from the JS arena, padded to whole vectors, so loops run over ceil(n/4) full
// vectors and need no scalar tails: lanes past the end read and write padding. Inputs never alias the output of a
// broadcasting kernel, so a row that overruns into the next row of the output is overwritten when that row is computed.
import { expv, geluDerivv, geluv, logv, sigmoidv, softplusv, tanhv } from './math';

// Unary op codes; src/backends/wasm/codes.ts mirrors them.
const NEG = 0;
const ABS = 1;
const SQUARE = 2;
const RELU = 3;
const SQRT = 4;
const RSQRT = 5;
const RECIPROCAL = 6;
const SIGN = 7;
const EXP = 8;
const LOG = 9;
const TANH = 10;
const SIGMOID = 11;
const GELU = 12;
const GELU_DERIV = 13;
const SOFTPLUS = 14;

/** `out[i] = f(x[i])` for `n` elements (rounded up to whole vectors); `x` and `out` may be the same buffer. */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  const end = x + ((<usize>(n + 3) >> 2) << 4);
  const d = out - x;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (op) {
    case NEG:
      for (let p = x; p < end; p += 16) v128.store(p + d, f32x4.neg(v128.load(p)));
      break;
    case ABS:
      for (let p = x; p < end; p += 16) v128.store(p + d, f32x4.abs(v128.load(p)));
      break;
    case SQUARE:
      for (let p = x; p < end; p += 16) {
        const v = v128.load(p);
        v128.store(p + d, f32x4.mul(v, v));
      }
      break;
    case RELU:
      // max keeps NaN, like torch.relu and the js backend's Math.max.
      for (let p = x; p < end; p += 16) v128.store(p + d, f32x4.max(v128.load(p), zero));
      break;
    case SQRT:
      for (let p = x; p < end; p += 16) v128.store(p + d, f32x4.sqrt(v128.load(p)));
      break;
    case RSQRT:
      for (let p = x; p < end; p += 16) v128.store(p + d, f32x4.div(one, f32x4.sqrt(v128.load(p))));
      break;
    case RECIPROCAL:
      for (let p = x; p < end; p += 16) v128.store(p + d, f32x4.div(one, v128.load(p)));
      break;
    case SIGN:
      // 1 where x > 0, −1 where x < 0, 0 for ±0 and NaN (as in the js backend).
      for (let p = x; p < end; p += 16) {
        const v = v128.load(p);
        const pos = v128.and(f32x4.gt(v, zero), one);
        const neg = v128.and(f32x4.lt(v, zero), f32x4.splat(-1));
        v128.store(p + d, v128.or(pos, neg));
      }
      break;
    case EXP:
      for (let p = x; p < end; p += 16) v128.store(p + d, expv(v128.load(p)));
      break;
    case LOG:
      for (let p = x; p < end; p += 16) v128.store(p + d, logv(v128.load(p)));
      break;
    case TANH:
      for (let p = x; p < end; p += 16) v128.store(p + d, tanhv(v128.load(p)));
      break;
    case SIGMOID:
      for (let p = x; p < end; p += 16) v128.store(p + d, sigmoidv(v128.load(p)));
      break;
    case GELU:
      for (let p = x; p < end; p += 16) v128.store(p + d, geluv(v128.load(p)));
      break;
    case GELU_DERIV:
      for (let p = x; p < end; p += 16) v128.store(p + d, geluDerivv(v128.load(p)));
      break;
    case SOFTPLUS:
      for (let p = x; p < end; p += 16) v128.store(p + d, softplusv(v128.load(p)));
      break;
    default:
      unreachable();
  }
}

/** `out = min(max(x, lo), hi)`: wasm min/max order −0 below +0 and propagate NaN, exactly like Math.min/Math.max. */
export function clamp(x: usize, lo: f32, hi: f32, out: usize, n: i32): void {
  const end = x + ((<usize>(n + 3) >> 2) << 4);
  const d = out - x;
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  for (let p = x; p < end; p += 16) v128.store(p + d, f32x4.min(f32x4.max(v128.load(p), vlo), vhi));
}

// Binary op codes; src/backends/wasm/codes.ts mirrors them.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MAXIMUM = 4;
const MINIMUM = 5;

/** `a ∘ b` on four lanes. maximum/minimum return `a` when `a` is NaN or wins, else `b`, as the js backend does. */
function apply(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD:
      return f32x4.add(a, b);
    case SUB:
      return f32x4.sub(a, b);
    case MUL:
      return f32x4.mul(a, b);
    case DIV:
      return f32x4.div(a, b);
    case MAXIMUM:
      return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
    case MINIMUM:
      return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
    default:
      unreachable();
      return a;
  }
}

/**
 * Broadcasting binary kernel over a `[rows, cols]` view: `out[r, c] = a[r·aRow + c·aCol] ∘ b[r·bRow + c·bCol]`,
 * where a column stride is 1 (a vector load) or 0 (the row's one value, splatted). This covers equal shapes
 * (one row), a scalar operand, a row vector broadcast down the rows and a column vector broadcast along them.
 */
export function binary(
  op: i32,
  a: usize,
  aRow: i32,
  aCol: i32,
  b: usize,
  bRow: i32,
  bCol: i32,
  out: usize,
  rows: i32,
  cols: i32,
): void {
  const vecBytes = (<usize>(cols + 3) >> 2) << 4;
  for (let r = 0; r < rows; r++) {
    const pa = a + ((<usize>(r * aRow)) << 2);
    const pb = b + ((<usize>(r * bRow)) << 2);
    const po = out + ((<usize>(r * cols)) << 2);
    const end = po + vecBytes;
    if (aCol !== 0 && bCol !== 0) {
      const da = pa - po;
      const db = pb - po;
      for (let q = po; q < end; q += 16) v128.store(q, apply(op, v128.load(q + da), v128.load(q + db)));
    } else if (aCol !== 0) {
      const da = pa - po;
      const vb = v128.load32_splat(pb);
      for (let q = po; q < end; q += 16) v128.store(q, apply(op, v128.load(q + da), vb));
    } else {
      const db = pb - po;
      const va = v128.load32_splat(pa);
      for (let q = po; q < end; q += 16) v128.store(q, apply(op, va, v128.load(q + db)));
    }
  }
}
