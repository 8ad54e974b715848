import { BackendError } from '../../errors.js';
import type { RecurrentSaved } from '../recurrent.js';
import type { Arena, SavedBlock } from './arena.js';
import { take } from './slab-layout.js';

/** Releases a saved block whose owner was garbage-collected before any backward pass freed it. */
const registry = new FinalizationRegistry<{ arena: Arena; block: SavedBlock }>(({ arena, block }) => arena.freeSaved(block));

/**
 * Activations a wasm forward call saved in wasm memory for its backward call (no copy out and back in). The slabs sit
 * in one {@link SavedBlock} above the arena's scratch; {@link WasmSaved.slabs} copies them out for a js-backend
 * backward pass (the js kernels' layout), so switching backends between forward and backward still works.
 */
export class WasmSaved implements RecurrentSaved {
  /** The arena holding the block. */
  readonly arena: Arena;
  private readonly block: SavedBlock;
  private readonly sizes: readonly number[];
  private readonly offsets: readonly number[];

  constructor(arena: Arena, block: SavedBlock, sizes: readonly number[], offsets: readonly number[]) {
    this.arena = arena;
    this.block = block;
    this.sizes = sizes;
    this.offsets = offsets;
  }

  /** Byte address of slab `i` now (a larger scratch reservation may have moved the block). */
  ptr(i: number): number {
    return this.block.ptr + this.offsets[i]!;
  }

  /** False once released. */
  get live(): boolean {
    return this.block.live;
  }

  /** Copies of the slabs, for a backward pass on another backend. */
  get slabs(): readonly Float32Array[] {
    if (!this.block.live) {
      throw new BackendError('wasm: the saved activations were already released by a backward pass that freed the graph');
    }
    return this.sizes.map((n, i) => take(this.arena, this.ptr(i), n));
  }

  /** Returns the block to the arena. */
  release(): void {
    this.arena.freeSaved(this.block);
  }
}

/** Bytes of one block holding slabs of `sizes` floats, and each slab's offset in it. */
function blockLayout(sizes: readonly number[]): { total: number; offsets: number[] } {
  const offsets: number[] = [];
  let total = 0;
  for (const n of sizes) {
    offsets.push(total);
    total += (4 * n + 15) & ~15;
  }
  return { total, offsets };
}

/**
 * Whether slabs of `sizes` floats may be saved in wasm memory: false once the live saved blocks approach the arena
 * limit (e.g. many forward passes whose graphs were dropped but not yet collected); those activations go to JS.
 */
export function canSaveInWasm(arena: Arena, sizes: readonly number[]): boolean {
  return arena.canSave(blockLayout(sizes).total);
}

/** Saved slabs of `sizes` floats each in one new block, or null when the arena cannot hold them. */
export function saveInWasm(arena: Arena, sizes: readonly number[]): WasmSaved | null {
  const { total, offsets } = blockLayout(sizes);
  const block = arena.allocSaved(total);
  if (!block) return null;
  const saved = new WasmSaved(arena, block, sizes, offsets);
  registry.register(saved, { arena, block });
  return saved;
}

/** `saved` when it was made by this arena and is still live: its slabs can be used where they are. */
export function residentIn(arena: Arena, saved: RecurrentSaved): WasmSaved | null {
  return saved instanceof WasmSaved && saved.arena === arena && saved.live ? saved : null;
}
