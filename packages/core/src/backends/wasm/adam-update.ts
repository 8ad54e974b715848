import type { Backend } from '../backend.js';
import { adamUpdate as jsAdamUpdate } from '../js/adam-update.js';
import type { Arena } from './arena.js';
import type { KernelExports } from './kernels.js';
import { SlabLayout, get, put } from './slab-layout.js';

/**
 * Below this many elements the js kernel wins: the call and its copies cost more than the update (measured: the
 * wasm kernel with its copies is ~3× faster than the js loop from a few thousand elements on, even at 256).
 */
const ADAM_MIN = 256;

/**
 * Adam / AdamW update in wasm: the parameter, its gradient and moment buffers are copied in, updated in one SIMD
 * pass (assembly/adam.ts), and the parameter and buffers copied out. The copies are cheap next to the js loop's
 * per-element division and square root (the whole update of an S1 LSTM's 25k parameters, copies included, takes
 * about a third of the js loop's time); the float32 lanes round differently from the js kernel's float64 by at
 * most a few float32 ulps per step.
 */
export function makeAdamUpdate(k: KernelExports, arena: Arena, delegateSmall: boolean): Backend['adamUpdate'] {
  return (args) => {
    const n = args.param.length;
    if (n === 0 || (delegateSmall && n < ADAM_MIN)) {
      jsAdamUpdate(args);
      return;
    }
    const vmax = args.maxExpAvgSq;
    const L = new SlabLayout(arena);
    const p = L.f32(n);
    const g = L.f32(n);
    const m = L.f32(n);
    const v = L.f32(n);
    const vm = L.optional(vmax !== null, n);
    if (!L.commit()) {
      jsAdamUpdate(args);
      return;
    }
    put(arena, p, args.param);
    put(arena, g, args.grad);
    put(arena, m, args.expAvg);
    put(arena, v, args.expAvgSq);
    if (vmax) put(arena, vm, vmax);
    const decay = args.weightDecay !== 0 || args.shrink !== 1;
    k.adamUpdate(
      n,
      p,
      g,
      m,
      v,
      vm,
      1 - args.beta1,
      args.beta2,
      1 - args.beta2,
      args.eps,
      args.stepSize,
      args.invBiasCorrection2Sqrt,
      decay ? 1 : 0,
      args.weightDecay,
      args.shrink,
    );
    get(arena, p, args.param);
    get(arena, m, args.expAvg);
    get(arena, v, args.expAvgSq);
    if (vmax) get(arena, vm, vmax);
  };
}
