import type { Arena } from './arena.js';

/**
 * Lays out one kernel call's buffers back to back in the arena, 16-byte aligned, before anything is copied: the
 * total is known first, so the arena grows once (or the call falls back to JS) before any view is taken.
 */
export class SlabLayout {
  /** Byte address of the next buffer. */
  private end: number;
  private readonly arena: Arena;

  constructor(arena: Arena) {
    this.arena = arena;
    this.end = arena.base;
  }

  /** Reserves `bytes` and returns their byte address. */
  bytes(bytes: number): number {
    const p = this.end;
    this.end = (p + bytes + 15) & ~15;
    return p;
  }

  /** Reserves `n` floats (or int32s) and returns their byte address. */
  f32(n: number): number {
    return this.bytes(4 * n);
  }

  /** `n` floats when `wanted`, else address 0 (the kernels' "skip this output"). */
  optional(wanted: boolean, n: number): number {
    return wanted ? this.f32(n) : 0;
  }

  /** Grows the arena to hold the layout; false when it exceeds the arena's limit (the caller falls back to JS). */
  commit(): boolean {
    return this.arena.reserve(this.end - this.arena.base);
  }
}

/** Copies `src` into the arena at byte address `p` (after {@link SlabLayout.commit}). */
export function put(arena: Arena, p: number, src: Float32Array | Int32Array): void {
  if (src instanceof Int32Array) new Int32Array(arena.f32.buffer, p, src.length).set(src);
  else arena.f32.set(src, p >> 2);
}

/** Copies `dst.length` floats at byte address `p` out of the arena into `dst`. */
export function get(arena: Arena, p: number, dst: Float32Array): void {
  dst.set(arena.f32.subarray(p >> 2, (p >> 2) + dst.length));
}

/** A new array holding `n` floats copied from byte address `p` of the arena. */
export function take(arena: Arena, p: number, n: number): Float32Array {
  return arena.f32.slice(p >> 2, (p >> 2) + n);
}
