/**
 * Scratch memory for the wasm kernels, in the kernel module's linear memory.
 *
 * Memory strategy (the issue asks to measure, choose and say why). Tensors stay ordinary JS typed arrays, and each
 * kernel call copies its operands into this arena, runs, and copies its result out. The alternative, tensors living
 * in wasm memory, would need manual release (scopes or a FinalizationRegistry) and views that survive
 * `memory.grow`, for every tensor in the library; copying needs neither, and it is cheap where it matters. Measured
 * on this project's machine (Node 20, one thread) by bench/src/suites/matmul.mjs shapes: copying A, B in and C out
 * of a 512³ GEMM takes ~0.05 ms against ~4.5–5.3 ms of compute (~1%); 1024³ ~0.3–0.4 ms against ~36–43 ms (~1%);
 * the LSTM-step GEMM [32, 384]·[384, 512] ~0.013 ms against ~0.25 ms (~5%). Element-wise kernels are copy-bound,
 * so they work in L2-sized chunks and small arrays stay in JS (thresholds in the kernel wrappers).
 *
 * One call at a time uses the arena (kernels are synchronous), so every call lays its buffers out from the same
 * base. The arena only grows, to the largest working set any single call needed, and never past `limit`: a long
 * training run reaches a steady size instead of growing without bound. Calls that would need more than `limit`
 * fall back to the js backend (or, for GEMM, split into row blocks).
 *
 * Above the scratch region sit the saved blocks of the fused sequence kernels: activations a forward call keeps in
 * wasm memory for its backward call (see recurrent-sequence.ts), released when that backward frees its graph, or
 * when the tape node is garbage-collected without one. Freed blocks leave gaps the next blocks reuse, so a training
 * loop settles at one step's worth of saved activations.
 */
export class Arena {
  /** Byte address of the arena's first byte (16-byte aligned). */
  readonly base: number;
  /** Largest arena size in bytes a call may use; the saved-activation heap has the same cap. */
  readonly limit: number;
  /**
   * Float32 view of the whole memory; replaced when the memory grows (growing detaches a plain memory's buffer, and
   * a shared memory's old buffer keeps its old length).
   */
  f32: Float32Array;
  private readonly memory: WebAssembly.Memory;
  /** Highest scratch end any call reserved: the saved heap starts above it. */
  private high: number;
  /** Live saved blocks, by address. */
  private readonly blocks: SavedBlock[] = [];

  constructor(memory: WebAssembly.Memory, heapBase: number, limit: number) {
    this.memory = memory;
    this.base = (heapBase + 15) & ~15;
    this.limit = limit;
    this.high = this.base;
    this.f32 = new Float32Array(memory.buffer);
  }

  /**
   * Makes `[base, base + bytes)` addressable, growing the memory if needed (and moving live saved blocks up, out of
   * the way). False if `bytes` exceeds the limit or the runtime refuses to grow the memory; the caller then falls
   * back to JS.
   */
  reserve(bytes: number): boolean {
    if (bytes > this.limit) return false;
    const end = this.base + bytes;
    const first = this.blocks[0];
    if (first && end > first.ptr) {
      // Rare: a call needs more scratch than any before while activations are saved. Shift every block up.
      const last = this.blocks[this.blocks.length - 1]!;
      const shift = align16(end - first.ptr);
      if (!this.ensure(last.ptr + last.bytes + shift)) return false;
      const bytesView = new Uint8Array(this.memory.buffer);
      for (let i = this.blocks.length - 1; i >= 0; i--) {
        const b = this.blocks[i]!;
        bytesView.copyWithin(b.ptr + shift, b.ptr, b.ptr + b.bytes);
        b.ptr += shift;
      }
    } else if (!this.ensure(end)) {
      return false;
    }
    this.high = Math.max(this.high, end);
    return true;
  }

  /**
   * A block of `bytes` for activations saved between a forward and a backward call, above every call's scratch:
   * the first gap between live blocks that fits, else after the last. Null when the live blocks would exceed the
   * limit or the memory cannot grow (the caller then keeps the activations in JS).
   */
  allocSaved(bytes: number): SavedBlock | null {
    let at = align16(this.high);
    let index = 0;
    for (; index < this.blocks.length; index++) {
      const b = this.blocks[index]!;
      if (b.ptr - at >= bytes) break;
      at = Math.max(at, align16(b.ptr + b.bytes));
    }
    const first = this.blocks[0];
    if (at + bytes - (first ? Math.min(first.ptr, at) : at) > this.limit) return null;
    if (!this.ensure(at + bytes)) return null;
    const block: SavedBlock = { ptr: at, bytes, live: true };
    this.blocks.splice(index, 0, block);
    return block;
  }

  /** Whether live saved blocks plus `bytes` stay within the limit (gaps aside): else keep the activations in JS. */
  canSave(bytes: number): boolean {
    return this.savedBytes + bytes <= this.limit;
  }

  /** Releases a saved block (idempotent); its bytes become a gap the next blocks may reuse. */
  freeSaved(block: SavedBlock): void {
    if (!block.live) return;
    block.live = false;
    this.blocks.splice(this.blocks.indexOf(block), 1);
  }

  /** Bytes held by live saved blocks (for tests and diagnostics). */
  get savedBytes(): number {
    return this.blocks.reduce((n, b) => n + b.bytes, 0);
  }

  /** Current size of the whole linear memory in bytes (for diagnostics and tests). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Grows the memory to at least `end` bytes, refreshing {@link Arena.f32}; false if the runtime refuses. */
  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    try {
      this.memory.grow(Math.ceil((end - have) / PAGE));
    } catch {
      return false;
    }
    this.f32 = new Float32Array(this.memory.buffer);
    return true;
  }
}

/** A region of wasm memory holding one forward call's saved activations until its backward call. */
export interface SavedBlock {
  /** Byte address; changes when a larger scratch reservation moves the block up. */
  ptr: number;
  /** Size in bytes. */
  readonly bytes: number;
  /** False once released. */
  live: boolean;
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

/** WebAssembly page size. */
const PAGE = 65536;

/**
 * Bytes for a buffer of `n` floats in the arena: whole 16-byte vectors plus one spare vector, so kernels may run
 * whole vectors past a row's end (see assembly/elementwise.ts) without touching the next buffer.
 */
export function bufferBytes(n: number): number {
  return (((n + 3) >> 2) << 4) + 16;
}

/**
 * Copies a `rows × cols` matrix with row stride `ld` from `src[offset…]` to float index `dst` of the arena, and
 * returns the row stride it has there. Contiguous rows go in one `set`; rows with small gaps go as one span (gaps
 * included, so the stride is kept); rows far apart go one by one and arrive packed (stride `cols`).
 */
export function copyMatrixIn(
  f32: Float32Array,
  dst: number,
  src: Float32Array,
  offset: number,
  rows: number,
  cols: number,
  ld: number,
): number {
  if (rows === 1 || ld === cols) {
    f32.set(src.subarray(offset, offset + rows * cols), dst);
    return cols;
  }
  const span = (rows - 1) * ld + cols;
  if (span <= 2 * rows * cols) {
    f32.set(src.subarray(offset, offset + span), dst);
    return ld;
  }
  for (let r = 0; r < rows; r++) f32.set(src.subarray(offset + r * ld, offset + r * ld + cols), dst + r * cols);
  return cols;
}

/** Bytes {@link copyMatrixIn} will use for the matrix (whole spans when the gaps are small). */
export function matrixBytes(rows: number, cols: number, ld: number): number {
  if (rows === 1 || ld === cols) return bufferBytes(rows * cols);
  const span = (rows - 1) * ld + cols;
  return bufferBytes(span <= 2 * rows * cols ? span : rows * cols);
}

/** The inverse of {@link copyMatrixIn}: writes the matrix held at arena float index `src` with stride `arenaLd` back. */
export function copyMatrixOut(
  f32: Float32Array,
  src: number,
  arenaLd: number,
  dst: Float32Array,
  offset: number,
  rows: number,
  cols: number,
  ld: number,
): void {
  if (rows === 1 || (ld === cols && arenaLd === cols)) {
    dst.set(f32.subarray(src, src + rows * cols), offset);
    return;
  }
  if (arenaLd === ld) {
    // The span was copied in whole, so its gaps hold the caller's own data: writing it back whole is safe.
    dst.set(f32.subarray(src, src + (rows - 1) * ld + cols), offset);
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(f32.subarray(src + r * arenaLd, src + r * arenaLd + cols), offset + r * ld);
}
