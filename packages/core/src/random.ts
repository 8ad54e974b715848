import { ValueError } from './errors.js';

/**
 * A seeded pseudo-random generator (xoshiro128**, Blackman & Vigna 2018): fast, 128-bit state that is easy to
 * save in a checkpoint, and identical on every backend because it runs in JavaScript.
 *
 * @example
 * ```ts run
 * import { Generator, Linear, randn } from '@elman/core';
 *
 * const gen = new Generator(42);
 * const x = randn([2, 3], { generator: gen }); // [2, 3] from this stream, not the global one
 * const layer = new Linear(3, 4, { generator: gen }); // weights drawn from the same stream
 * const saved = gen.getState(); // e.g. into a checkpoint
 * const next = gen.uniform();
 * gen.setState(saved); // resume: the same numbers again
 * console.log(gen.uniform() === next, layer.forward(x).shape); // true [2, 4]
 * ```
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** A cached second Box–Muller normal, or NaN when empty. */
  private spare = Number.NaN;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Re-seeds the stream; the same seed always gives the same numbers. */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new ValueError(`manualSeed: seed must be a finite number, got ${seed}`);
    // SplitMix32 expands one number into the four state words, so nearby seeds give unrelated streams.
    let x = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    // Floor (not trunc) so a negative seed has the two's-complement high word: -1 and 2^32 − 1 differ.
    const hi = Math.floor(Math.trunc(seed) / 2 ** 32) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x ^ hi;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = Number.NaN;
    return this;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 24 random bits (exactly representable in float32). */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Uniform integer in [0, n). */
  randint(n: number): number {
    // Multiply-shift (Lemire 2019) without the rejection step: bias < n / 2^32, negligible here.
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }

  /** Standard normal by the Box–Muller transform (pairs cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = Number.NaN;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** The full state (for checkpoints): four state words plus the cached normal. */
  getState(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0, this.spare];
  }

  /** Restores a state from {@link Generator.getState} (also after a JSON round trip, which turns NaN into null). */
  setState(state: readonly (number | null)[]): this {
    if (state.length !== 5) throw new ValueError(`Generator.setState: expected 5 numbers, got ${state.length}`);
    const [s0, s1, s2, s3, spare] = state.map((v) => v ?? Number.NaN) as [number, number, number, number, number];
    if ((s0 | s1 | s2 | s3) === 0) throw new ValueError('Generator.setState: the four state words cannot all be zero');
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
    this.spare = spare;
    return this;
  }

  /** Fills `out` with U(lo, hi). */
  fillUniform(out: Float32Array, lo = 0, hi = 1): Float32Array {
    const span = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + span * this.uniform();
    return out;
  }

  /** Fills `out` with N(mean, std²). */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The default generator used when no explicit generator is passed. */
export const defaultGenerator = new Generator(0);

/**
 * Seeds the default generator (weights, dropout masks, shuffles): same seed → same run on every backend.
 *
 * @example
 * ```ts run
 * import { manualSeed, randn } from '@elman/core';
 *
 * manualSeed(0);
 * const a = randn([3]);
 * manualSeed(0);
 * console.log(randn([3]).toArray(), a.toArray()); // the same numbers, on every backend
 * ```
 */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}
