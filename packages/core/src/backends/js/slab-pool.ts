// Reuse of the js recurrent kernels' large per-call slabs ([B, T, G·H] gate activations and gradients, [B, T, H]
// saved states). A training step allocates the same slabs every call; left to the garbage collector, several steps'
// worth (tens of MB at the S2 shape) are held at once before V8 frees them. Slabs come back here when nothing reads
// them any more: scratch at the end of the call that made it, saved activations after the final backward pass (the
// `final` contract of RecurrentBackwardArgs: no later pass reads them).

import { operandArray } from './parallel-gemm.js';
import { forgetSharedBuffer } from './thread-pool.js';

/** Most slabs held for reuse; the oldest goes first, so a process that stops training keeps at most this many. */
const MAX_POOLED = 8;
/** Released slabs, oldest first. */
const pool: Float32Array[] = [];

/**
 * A zeroed `Float32Array` of `n` floats: a released slab of that length when one is pooled, else a new array (in
 * shared memory while a threaded js call runs, so helper threads use it in place).
 */
export function takeSlab(n: number): Float32Array {
  for (let i = pool.length - 1; i >= 0; i--) {
    const slab = pool[i]!;
    if (slab.length === n) {
      pool.splice(i, 1);
      return slab.fill(0);
    }
  }
  return operandArray(n);
}

/** Returns slabs that nothing reads any more to the pool (null entries are skipped). */
export function releaseSlabs(slabs: readonly (Float32Array | null)[]): void {
  for (const slab of slabs) {
    if (!slab || pool.includes(slab)) continue;
    pool.push(slab);
    // An evicted shared slab is dropped by the helper threads now, not when the garbage collector gets to it (which
    // a synchronous training loop would postpone until it ends).
    if (pool.length > MAX_POOLED) forgetSharedBuffer(pool.shift()!.buffer);
  }
}

/** Slabs pooled now (for tests). */
export function pooledSlabCount(): number {
  return pool.length;
}
