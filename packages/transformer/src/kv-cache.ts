import { ValueError } from '@elman/core';

/** Sizes of a {@link KVCache}. */
export interface KVCacheOptions {
  /** Sequences decoded together. */
  batchSize: number;
  /** Transformer layers (one key and one value slab each). */
  numLayers: number;
  /** Attention heads per layer. */
  numHeads: number;
  /** Features per head. */
  headDim: number;
  /** Positions the cache can hold (the model's maximum length). */
  maxLength: number;
}

/**
 * The keys and values of every position decoded so far, per layer and head, preallocated to `maxLength` so that
 * each new token only appends its own key and value and attends over the stored ones: O(T) work per token instead
 * of re-running the whole prefix (O(T²)). Slabs are `[B, numHeads, maxLength, headDim]` per layer, so each head's
 * keys are one contiguous matrix for the GEMM. Create one with `CausalLM.createCache(batchSize)`.
 */
export class KVCache {
  /** Sequences decoded together. */
  readonly batchSize: number;
  /** Layers. */
  readonly numLayers: number;
  /** Heads per layer. */
  readonly numHeads: number;
  /** Features per head. */
  readonly headDim: number;
  /** Capacity in positions. */
  readonly maxLength: number;
  /** Keys of each layer, `[B, numHeads, maxLength, headDim]`. */
  readonly keys: Float32Array[];
  /** Values of each layer, `[B, numHeads, maxLength, headDim]`. */
  readonly values: Float32Array[];
  #length = 0;

  /** Allocates the slabs (2 · numLayers · B · maxLength · dModel floats). */
  constructor(options: KVCacheOptions) {
    for (const [name, v] of Object.entries(options)) {
      if (!(Number.isInteger(v) && v > 0)) throw new ValueError(`KVCache: ${name} must be a positive integer, got ${v}`);
    }
    this.batchSize = options.batchSize;
    this.numLayers = options.numLayers;
    this.numHeads = options.numHeads;
    this.headDim = options.headDim;
    this.maxLength = options.maxLength;
    const size = options.batchSize * options.numHeads * options.maxLength * options.headDim;
    this.keys = Array.from({ length: options.numLayers }, () => new Float32Array(size));
    this.values = Array.from({ length: options.numLayers }, () => new Float32Array(size));
  }

  /** Positions stored so far. */
  get length(): number {
    return this.#length;
  }

  /**
   * Forgets every position from `length` on (e.g. to decode again from a shared prompt); `truncate(0)` empties the
   * cache. The slabs are kept, so nothing is reallocated.
   */
  truncate(length: number): void {
    if (!(Number.isInteger(length) && length >= 0 && length <= this.#length)) {
      throw new ValueError(`KVCache.truncate: length must be an integer in [0, ${this.#length}], got ${length}`);
    }
    this.#length = length;
  }

  /** @internal Marks `n` more positions as stored (called after their keys and values were written). */
  advance(n: number): void {
    if (this.#length + n > this.maxLength) {
      throw new ValueError(`KVCache: ${this.#length} + ${n} positions exceed maxLength ${this.maxLength}`);
    }
    this.#length += n;
  }
}
