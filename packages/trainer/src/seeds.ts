/**
 * Derives an independent 32-bit seed from a base seed and stream indices (epoch, step, shard, …) with the
 * MurmurHash3 finaliser, so that nearby inputs give unrelated streams and the result does not depend on how many
 * numbers other streams have drawn.
 */
export function mixSeed(base: number, ...indices: number[]): number {
  let h = base >>> 0;
  for (const i of indices) {
    h = Math.imul(h ^ (i >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}
