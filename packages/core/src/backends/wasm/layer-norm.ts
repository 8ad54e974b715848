import type { Backend } from '../backend.js';
import { layerNorm as jsLayerNorm } from '../js/layer-norm.js';
import { type Arena, bufferBytes } from './arena.js';
import { CHUNK } from './elementwise.js';
import type { KernelExports } from './kernels.js';

/** Below this many elements the js kernel wins (measured: equal at 64 elements, wasm 2.4× faster at 256). */
const LAYER_NORM_MIN = 256;

/**
 * Layer normalisation over rows: weight and bias copied in once, rows about {@link CHUNK} floats at a time with
 * their means and reciprocal standard deviations.
 */
export function makeLayerNorm(k: KernelExports, arena: Arena, delegateSmall: boolean): Backend['layerNorm'] {
  return (x, weight, bias, rows, cols, eps, out, mean, rstd) => {
    if (cols === 0 || rows === 0 || (delegateSmall && rows * cols < LAYER_NORM_MIN)) {
      jsLayerNorm(x, weight, bias, rows, cols, eps, out, mean, rstd);
      return;
    }
    const perChunk = Math.min(rows, Math.max(1, Math.floor(CHUNK / cols)));
    const xBytes = bufferBytes(perChunk * cols);
    const pBytes = bufferBytes(cols);
    const sBytes = bufferBytes(perChunk);
    if (!arena.reserve(2 * xBytes + 2 * pBytes + 2 * sBytes)) {
      jsLayerNorm(x, weight, bias, rows, cols, eps, out, mean, rstd);
      return;
    }
    const f32 = arena.f32;
    const xPtr = arena.base;
    const oPtr = xPtr + xBytes;
    const wPtr = oPtr + xBytes;
    const bPtr = wPtr + pBytes;
    const meanPtr = bPtr + pBytes;
    const rstdPtr = meanPtr + sBytes;
    if (weight) f32.set(weight, wPtr >> 2);
    if (bias) f32.set(bias, bPtr >> 2);
    for (let r = 0; r < rows; r += perChunk) {
      const m = Math.min(perChunk, rows - r);
      f32.set(x.subarray(r * cols, (r + m) * cols), xPtr >> 2);
      k.layerNorm(xPtr, wPtr, weight ? 1 : 0, bPtr, bias ? 1 : 0, m, cols, eps, oPtr, meanPtr, rstdPtr);
      out.set(f32.subarray(oPtr >> 2, (oPtr >> 2) + m * cols), r * cols);
      mean.set(f32.subarray(meanPtr >> 2, (meanPtr >> 2) + m), r);
      rstd.set(f32.subarray(rstdPtr >> 2, (rstdPtr >> 2) + m), r);
    }
  };
}
