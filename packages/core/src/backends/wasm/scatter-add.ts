import type { Backend } from '../backend.js';
import { scatterAdd as jsScatterAdd } from '../js/gather.js';
import { type Arena, bufferBytes } from './arena.js';
import type { KernelExports } from './kernels.js';

/**
 * Below this many accumulated floats the js kernel wins: the call and its copies cost more than the adds.
 */
const SCATTER_MIN = 4096;

/**
 * Scatter-add of whole rows (`indexShared`, one `outer` block: the embedding backward dW[ids[j]] += dY[j]) with
 * SIMD row adds. Under the copy-in/copy-out memory model (arena.ts) the accumulator `out` (`n` rows) has to travel
 * into wasm memory and back, so the kernel only pays when the rows added outnumber the rows moved: the wrapper
 * runs it when `k ≥ 2n` (many lookups into a small table: character vocabularies, tags, positions), and the js
 * row loop otherwise (a word vocabulary much larger than the batch, where the adds touch few of its rows).
 */
export function makeScatterAdd(k: KernelExports, arena: Arena, delegateSmall: boolean): Backend['scatterAdd'] {
  return (src, outer, n, inner, index, count, indexShared, out) => {
    const worth = count >= 2 * n || !delegateSmall;
    if (!indexShared || outer !== 1 || inner === 0 || count === 0 || !worth || (delegateSmall && count * inner < SCATTER_MIN)) {
      jsScatterAdd(src, outer, n, inner, index, count, indexShared, out);
      return;
    }
    const srcBytes = bufferBytes(count * inner);
    const idxBytes = bufferBytes(count);
    if (!arena.reserve(srcBytes + idxBytes + bufferBytes(n * inner))) {
      jsScatterAdd(src, outer, n, inner, index, count, indexShared, out);
      return;
    }
    const f32 = arena.f32;
    const sPtr = arena.base;
    const iPtr = sPtr + srcBytes;
    const oPtr = iPtr + idxBytes;
    f32.set(src.subarray(0, count * inner), sPtr >> 2);
    new Int32Array(f32.buffer).set(index.subarray(0, count), iPtr >> 2);
    f32.set(out.subarray(0, n * inner), oPtr >> 2);
    k.scatterAddRows(sPtr, count, inner, iPtr, oPtr);
    out.set(f32.subarray(oPtr >> 2, (oPtr >> 2) + n * inner));
  };
}
