import type { Backend } from '../backend.js';
import { softmax as jsSoftmax } from '../js/softmax.js';
import { type Arena, bufferBytes } from './arena.js';
import { CHUNK } from './elementwise.js';
import type { KernelExports } from './kernels.js';

/** Below this many elements the js kernel wins (measured: equal at 64 elements, wasm 6× faster at 256). */
const SOFTMAX_MIN = 256;

/**
 * Softmax / log-softmax along the last axis (`inner = 1`, the common case), rows copied in about {@link CHUNK}
 * floats at a time and normalised in place in the arena. Other axes use the js kernel.
 */
export function makeSoftmax(k: KernelExports, arena: Arena, delegateSmall: boolean): Backend['softmax'] {
  return (x, outer, n, inner, log, out) => {
    if (inner !== 1 || n === 0 || outer === 0 || (delegateSmall && outer * n < SOFTMAX_MIN)) {
      jsSoftmax(x, outer, n, inner, log, out);
      return;
    }
    const perChunk = Math.min(outer, Math.max(1, Math.floor(CHUNK / n)));
    if (!arena.reserve(bufferBytes(perChunk * n))) {
      jsSoftmax(x, outer, n, inner, log, out);
      return;
    }
    const f32 = arena.f32;
    const ptr = arena.base;
    const at = ptr >> 2;
    for (let r = 0; r < outer; r += perChunk) {
      const m = Math.min(perChunk, outer - r);
      f32.set(x.subarray(r * n, (r + m) * n), at);
      k.softmax(ptr, m, n, log ? 1 : 0, ptr);
      out.set(f32.subarray(at, at + m * n), r * n);
    }
  };
}
