import { broadcastStrides, sizeOf } from '../../shape.js';
import type { AnyArray, BinaryOp } from '../backend.js';

type Fn = (a: number, b: number) => number;

const FNS: Record<BinaryOp, Fn> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a < b || Number.isNaN(a) ? a : b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
};

/**
 * Broadcasting binary kernel. The common cases (same shape, scalar operand, trailing-row broadcast) get flat loops
 * specialised for add/sub/mul/div; everything else walks the output with per-axis strides (0 on broadcast axes),
 * keeping the innermost axis as a tight loop.
 */
export function binary(
  op: BinaryOp,
  a: AnyArray,
  aShape: readonly number[],
  b: AnyArray,
  bShape: readonly number[],
  out: AnyArray,
  outShape: readonly number[],
): void {
  const n = out.length;
  const na = a.length;
  const nb = b.length;
  if (na === n && nb === n) {
    flat(op, a, b, out, n);
    return;
  }
  if (nb === 1 && na === n) {
    scalarRight(op, a, b[0]!, out, n);
    return;
  }
  if (na === 1 && nb === n) {
    const f = FNS[op];
    const av = a[0]!;
    for (let i = 0; i < n; i++) out[i] = f(av, b[i]!);
    return;
  }
  general(FNS[op], a, aShape, b, bShape, out, outShape);
}

function flat(op: BinaryOp, a: AnyArray, b: AnyArray, out: AnyArray, n: number): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      return;
    default: {
      const f = FNS[op];
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
    }
  }
}

function scalarRight(op: BinaryOp, a: AnyArray, bv: number, out: AnyArray, n: number): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i]! + bv;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i]! - bv;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i]! * bv;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i]! / bv;
      return;
    default: {
      const f = FNS[op];
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, bv);
    }
  }
}

function general(
  f: Fn,
  a: AnyArray,
  aShape: readonly number[],
  b: AnyArray,
  bShape: readonly number[],
  out: AnyArray,
  outShape: readonly number[],
): void {
  const rank = outShape.length;
  if (sizeOf(outShape) === 0) return;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const last = rank - 1;
  const inner = outShape[last]!;
  const ia = sa[last]!;
  const ib = sb[last]!;
  const idx = new Array<number>(rank).fill(0);
  let offA = 0;
  let offB = 0;
  let o = 0;
  const n = out.length;
  while (o < n) {
    for (let j = 0, pa = offA, pb = offB; j < inner; j++, pa += ia, pb += ib) out[o++] = f(a[pa]!, b[pb]!);
    // Odometer increment over the outer axes.
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]!++;
      offA += sa[ax]!;
      offB += sb[ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      offA -= sa[ax]! * outShape[ax]!;
      offB -= sb[ax]! * outShape[ax]!;
      idx[ax] = 0;
    }
  }
}
