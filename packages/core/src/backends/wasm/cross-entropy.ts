import type { Backend } from '../backend.js';
import {
  crossEntropyBackward as jsCrossEntropyBackward,
  crossEntropyForward as jsCrossEntropyForward,
} from '../js/cross-entropy.js';
import { type Arena, bufferBytes } from './arena.js';
import { CHUNK } from './elementwise.js';
import type { KernelExports } from './kernels.js';

/** Below this many logits the js kernel wins (as for softmax: the row work is the same exp-and-sum). */
const CE_MIN = 256;

/** The wasm kernels of the fused softmax + cross-entropy. */
export interface CrossEntropyKernels {
  /** See {@link Backend.crossEntropyForward}. */
  crossEntropyForward: Backend['crossEntropyForward'];
  /** See {@link Backend.crossEntropyBackward}. */
  crossEntropyBackward: Backend['crossEntropyBackward'];
}

/**
 * Cross-entropy with the classes on the last axis (`inner = 1`: `[N, C]` and `[B, T, V]` logits), rows copied in
 * about {@link CHUNK} floats at a time with their targets; the backward pass writes the gradient over the copied
 * logits in place and copies it out. Classes on another axis (`[N, C, d…]`) use the js kernels.
 */
export function makeCrossEntropy(k: KernelExports, arena: Arena, delegateSmall: boolean): CrossEntropyKernels {
  /** Lays out one chunk (logits, then four per-row vectors) and returns its float offsets, or null to use JS. */
  const layout = (outer: number, n: number, inner: number) => {
    if (inner !== 1 || n === 0 || outer === 0 || (delegateSmall && outer * n < CE_MIN)) return null;
    const rows = Math.min(outer, Math.max(1, Math.floor(CHUNK / n)));
    const xBytes = bufferBytes(rows * n);
    const rowBytes = bufferBytes(rows);
    if (!arena.reserve(xBytes + 4 * rowBytes)) return null;
    const x = arena.base;
    return { rows, x, t: x + xBytes, a: x + xBytes + rowBytes, b: x + xBytes + 2 * rowBytes, g: x + xBytes + 3 * rowBytes };
  };

  const crossEntropyForward: Backend['crossEntropyForward'] = (x, outer, n, inner, target, ignore, eps, loss, lse) => {
    const at = layout(outer, n, inner);
    if (!at) {
      jsCrossEntropyForward(x, outer, n, inner, target, ignore, eps, loss, lse);
      return;
    }
    const f32 = arena.f32;
    const i32 = new Int32Array(f32.buffer);
    for (let r = 0; r < outer; r += at.rows) {
      const m = Math.min(at.rows, outer - r);
      f32.set(x.subarray(r * n, (r + m) * n), at.x >> 2);
      i32.set(target.subarray(r, r + m), at.t >> 2);
      k.crossEntropyForward(at.x, m, n, at.t, ignore, eps, at.a, at.b);
      loss.set(f32.subarray(at.a >> 2, (at.a >> 2) + m), r);
      lse.set(f32.subarray(at.b >> 2, (at.b >> 2) + m), r);
    }
  };

  const crossEntropyBackward: Backend['crossEntropyBackward'] = (x, outer, n, inner, target, ignore, eps, lse, g, dx) => {
    const at = layout(outer, n, inner);
    if (!at) {
      jsCrossEntropyBackward(x, outer, n, inner, target, ignore, eps, lse, g, dx);
      return;
    }
    const f32 = arena.f32;
    const i32 = new Int32Array(f32.buffer);
    for (let r = 0; r < outer; r += at.rows) {
      const m = Math.min(at.rows, outer - r);
      f32.set(x.subarray(r * n, (r + m) * n), at.x >> 2);
      i32.set(target.subarray(r, r + m), at.t >> 2);
      f32.set(lse.subarray(r, r + m), at.a >> 2);
      f32.set(g.subarray(r, r + m), at.g >> 2);
      k.crossEntropyBackward(at.x, m, n, at.t, ignore, eps, at.a, at.g, at.x);
      dx.set(f32.subarray(at.x >> 2, (at.x >> 2) + m * n), r * n);
    }
  };

  return { crossEntropyForward, crossEntropyBackward };
}
