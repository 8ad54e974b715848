import type { AnyArray, Backend } from '../backend.js';
import { binary as jsBinary } from '../js/binary.js';
import { clamp as jsClamp, unary as jsUnary } from '../js/unary.js';
import { type Arena, bufferBytes } from './arena.js';
import { BINARY_CODES, CHEAP_UNARY, UNARY_CODES } from './codes.js';
import type { KernelExports } from './kernels.js';

/**
 * Floats per chunk of an element-wise call: three 64 KiB buffers stay in L2 between the copy in, the kernel and the
 * copy out, and the per-chunk overhead (a wasm call, two subarray views) stays under 1%.
 */
export const CHUNK = 16384;

// Below these lengths the js kernels win: a wasm call with its copies costs about as much as computing ~1000 cheap
// elements (neg, add, …) or a few dozen transcendental ones (exp, tanh, …) in JS. Measured crossovers (Node 20, one
// thread): neg 0.9 ns/element in both at 1024 elements, wasm 5× faster at 4096; add 2.3 (js) vs 1.9 ns at 1024;
// exp equal at 16 elements, wasm 2.5× faster at 64.
const CHEAP_MIN = 1024;
const TRANSCENDENTAL_MIN = 32;
const BINARY_MIN = 1024;

/** Unary kernel: whole chunks copied into the arena, transformed in place there, copied out. */
export function makeUnary(k: KernelExports, arena: Arena, delegateSmall: boolean): Backend['unary'] {
  return (op, x, out) => {
    const n = x.length;
    const chunk = Math.min(n, CHUNK);
    const small = delegateSmall && n < (CHEAP_UNARY.has(op) ? CHEAP_MIN : TRANSCENDENTAL_MIN);
    if (n === 0 || small || !arena.reserve(bufferBytes(chunk))) {
      jsUnary(op, x, out);
      return;
    }
    const code = UNARY_CODES[op];
    const f32 = arena.f32;
    const ptr = arena.base;
    const at = ptr >> 2;
    for (let i = 0; i < n; i += chunk) {
      const len = Math.min(chunk, n - i);
      f32.set(len === n ? x : x.subarray(i, i + len), at);
      k.unary(code, ptr, ptr, len);
      out.set(f32.subarray(at, at + len), i);
    }
  };
}

/** Clamp kernel, chunked like {@link makeUnary}. */
export function makeClamp(k: KernelExports, arena: Arena, delegateSmall: boolean): Backend['clamp'] {
  return (x, lo, hi, out) => {
    const n = x.length;
    const chunk = Math.min(n, CHUNK);
    if (n === 0 || (delegateSmall && n < CHEAP_MIN) || !arena.reserve(bufferBytes(chunk))) {
      jsClamp(x, lo, hi, out);
      return;
    }
    const f32 = arena.f32;
    const ptr = arena.base;
    const at = ptr >> 2;
    for (let i = 0; i < n; i += chunk) {
      const len = Math.min(chunk, n - i);
      f32.set(len === n ? x : x.subarray(i, i + len), at);
      k.clamp(ptr, lo, hi, ptr, len);
      out.set(f32.subarray(at, at + len), i);
    }
  };
}

/**
 * How a broadcast operand of `shape` maps onto `outShape` (both with `size` and `outSize` elements), or null for
 * patterns left to the js kernel: `row` when it is a trailing block repeated down the rows (e.g. a bias [N] on
 * [B, N]), `col` when each of its elements covers a run of consecutive outputs (e.g. [B, 1] on [B, N]).
 */
function broadcastKind(shape: readonly number[], outShape: readonly number[]): 'row' | 'col' | null {
  const lead = outShape.length - shape.length;
  let first = 0; // first axis (of outShape) where the padded operand is not 1
  while (first < outShape.length && (first < lead || shape[first - lead] === 1)) first++;
  let suffix = true;
  for (let ax = first; ax < outShape.length; ax++) if (shape[ax - lead] !== outShape[ax]) suffix = false;
  if (suffix) return 'row';
  let last = outShape.length; // one past the last axis where the operand matches outShape
  while (last > lead && shape[last - 1 - lead] === 1) last--;
  for (let ax = 0; ax < last; ax++) {
    const d = ax < lead ? 1 : shape[ax - lead]!;
    if (d !== outShape[ax]) return null;
  }
  return 'col';
}

/**
 * Broadcasting binary kernel: float32 add/sub/mul/div/maximum/minimum on equal shapes, a scalar operand, a row
 * vector repeated down the rows or a column vector repeated along them run in wasm; int32 data, pow, comparisons,
 * other broadcast patterns and short arrays use the js kernel.
 */
export function makeBinary(k: KernelExports, arena: Arena, delegateSmall: boolean): Backend['binary'] {
  /** Equal lengths or a scalar operand, as one long row in chunks; false if the arena cannot hold a chunk. */
  const flat = (code: number, a: Float32Array, b: Float32Array, out: Float32Array, aScalar: boolean, bScalar: boolean): boolean => {
    const n = out.length;
    const chunk = Math.min(n, CHUNK);
    const bytes = bufferBytes(chunk);
    if (!arena.reserve(3 * bytes)) return false;
    const f32 = arena.f32;
    const aPtr = arena.base;
    const bPtr = aPtr + bytes;
    const oPtr = bPtr + bytes;
    if (aScalar) f32[aPtr >> 2] = a[0]!;
    if (bScalar) f32[bPtr >> 2] = b[0]!;
    for (let i = 0; i < n; i += chunk) {
      const len = Math.min(chunk, n - i);
      if (!aScalar) f32.set(len === n ? a : a.subarray(i, i + len), aPtr >> 2);
      if (!bScalar) f32.set(len === n ? b : b.subarray(i, i + len), bPtr >> 2);
      k.binary(code, aPtr, 0, aScalar ? 0 : 1, bPtr, 0, bScalar ? 0 : 1, oPtr, 1, len);
      out.set(f32.subarray(oPtr >> 2, (oPtr >> 2) + len), i);
    }
    return true;
  };

  /** `full ∘ small` (or `small ∘ full` when `smallFirst`) with `small` broadcast as a row or a column vector. */
  const broadcast = (
    code: number,
    full: Float32Array,
    small: Float32Array,
    smallFirst: boolean,
    kind: 'row' | 'col',
    out: Float32Array,
  ): boolean => {
    const n = out.length;
    const rows = kind === 'row' ? n / small.length : small.length;
    const cols = n / rows;
    const rowsPerChunk = Math.max(1, Math.floor(CHUNK / cols));
    const chunkRows = Math.min(rows, rowsPerChunk);
    const fullBytes = bufferBytes(chunkRows * cols);
    const smallBytes = bufferBytes(kind === 'row' ? cols : chunkRows);
    if (!arena.reserve(2 * fullBytes + smallBytes)) return false;
    const f32 = arena.f32;
    const fPtr = arena.base;
    const oPtr = fPtr + fullBytes;
    const sPtr = oPtr + fullBytes;
    if (kind === 'row') f32.set(small, sPtr >> 2);
    // Row strides in elements: the full operand steps a row, a row vector stays put, a column vector steps one.
    const sRow = kind === 'row' ? 0 : 1;
    const sCol = kind === 'row' ? 1 : 0;
    for (let r = 0; r < rows; r += chunkRows) {
      const nr = Math.min(chunkRows, rows - r);
      f32.set(full.subarray(r * cols, (r + nr) * cols), fPtr >> 2);
      if (kind === 'col') f32.set(small.subarray(r, r + nr), sPtr >> 2);
      if (smallFirst) k.binary(code, sPtr, sRow, sCol, fPtr, cols, 1, oPtr, nr, cols);
      else k.binary(code, fPtr, cols, 1, sPtr, sRow, sCol, oPtr, nr, cols);
      out.set(f32.subarray(oPtr >> 2, (oPtr >> 2) + nr * cols), r * cols);
    }
    return true;
  };

  return (op, a, aShape, b, bShape, out, outShape) => {
    const code = BINARY_CODES[op];
    const n = out.length;
    if (code === undefined || n === 0 || (delegateSmall && n < BINARY_MIN) || !isF32(a) || !isF32(b) || !isF32(out)) {
      jsBinary(op, a, aShape, b, bShape, out, outShape);
      return;
    }
    const na = a.length;
    const nb = b.length;
    let done = false;
    if ((na === n || na === 1) && (nb === n || nb === 1)) {
      done = flat(code, a, b, out, na !== n, nb !== n);
    } else if (na === n) {
      const kind = broadcastKind(bShape, outShape);
      if (kind) done = broadcast(code, a, b, false, kind, out);
    } else if (nb === n) {
      const kind = broadcastKind(aShape, outShape);
      if (kind) done = broadcast(code, b, a, true, kind, out);
    }
    if (!done) jsBinary(op, a, aShape, b, bShape, out, outShape);
  };
}

function isF32(x: AnyArray): x is Float32Array {
  return x instanceof Float32Array;
}
