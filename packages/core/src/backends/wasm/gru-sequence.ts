import type { RecurrentBackwardArgs, RecurrentForwardArgs, RecurrentSaved } from '../recurrent.js';
import type { Arena } from './arena.js';
import type { KernelExports } from './kernels.js';
import { canSaveInWasm, residentIn, saveInWasm } from './saved-slabs.js';
import { SlabLayout, get, put, take } from './slab-layout.js';

function resetBeforeOf(args: RecurrentForwardArgs | RecurrentBackwardArgs): boolean {
  return args.cell.kind === 'gru' && args.cell.resetBefore;
}

/**
 * GRU forward in wasm (assembly/gru-sequence.ts); with `keep`, saves gates, h_{t−1} and W_hn h + b_hn (reset after)
 * or r⊙h_{t−1} (reset before), the js kernel's slabs, in a saved block in wasm memory. Returns undefined when the
 * call does not fit (the js kernel then runs).
 */
export function gruForwardWasm(k: KernelExports, arena: Arena, args: RecurrentForwardArgs): RecurrentSaved | null | undefined {
  const { geometry: g, keep, weights } = args;
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const G = 3 * H;
  const n = B * T * H;
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.f32(B * T * X); // [B, T, X]
  const wih = L.f32(G * X); // [3H, X]
  const whh = L.f32(G * H); // [3H, H]
  const bi = L.f32(G); // [3H]
  const bh = L.f32(G); // [3H]
  const h = L.f32(B * H); // [B, H]
  const y = L.optional(args.output !== null, n); // [B, T, H]; 0 = the kernel skips the outputs
  const sizes = [B * T * G, n, n];
  // Saved activations go into a saved block in wasm memory, or (when too many are held) into scratch and out to JS.
  const inWasm = keep && canSaveInWasm(arena, sizes);
  const slots = inWasm ? null : [L.f32(sizes[0]!), L.optional(keep, n), L.optional(keep, n)];
  const work = L.bytes(k.gruWorkspace(B, T, X, H));
  if (!L.commit()) return undefined;
  const saved = inWasm ? saveInWasm(arena, sizes) : null;
  if (inWasm && !saved) return undefined;
  const [gates, hp, sv] = saved ? [saved.ptr(0), saved.ptr(1), saved.ptr(2)] : slots!;
  put(arena, lens, g.lengths);
  put(arena, x, args.x);
  put(arena, wih, weights.weightIh);
  put(arena, whh, weights.weightHh);
  put(arena, bi, weights.biasIh ?? new Float32Array(G));
  put(arena, bh, weights.biasHh ?? new Float32Array(G));
  put(arena, h, args.h);
  k.gruForward(B, T, X, H, lens, g.reverse ? 1 : 0, resetBeforeOf(args) ? 1 : 0, x, wih, whh, bi, bh, h, y, gates!, keep ? 1 : 0, hp!, sv!, work);
  get(arena, h, args.h);
  if (args.output) get(arena, y, args.output);
  if (!keep || saved) return saved;
  return { slabs: slots!.map((p, i) => take(arena, p, sizes[i]!)) };
}

/** GRU backward in wasm; false when the call does not fit the arena. */
export function gruBackwardWasm(k: KernelExports, arena: Arena, args: RecurrentBackwardArgs): boolean {
  const { geometry: g, grads } = args;
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const G = 3 * H;
  const n = B * T * H;
  const resetBefore = resetBeforeOf(args);
  const resident = residentIn(arena, args.saved);
  const sq = args.hiddenGradSquares;
  const wantBias = grads.biasIh !== null || grads.biasHh !== null;
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.optional(grads.weightIh !== null, B * T * X); // [B, T, X]
  const wih = L.optional(grads.x !== null, G * X); // [3H, X]
  const whh = L.f32(G * H); // [3H, H]
  // Saved activations: used where they are when this arena saved them, else copied in.
  const copied = resident ? null : [L.f32(B * T * G), L.f32(n), L.f32(n)];
  // The gate activations are overwritten in place by their pre-activation gradients dG (each element is read before
  // it is written), saving a [B, T, 3H] slab, unless they must survive for another backward pass (retainGraph).
  const dGSlot = L.optional(resident !== null && !args.final, B * T * G); // [B, T, 3H]
  const dY = L.optional(args.dOutput !== null, n);
  const dh = L.f32(B * H); // [B, H]
  const dGn = L.optional(!resetBefore, n); // [B, T, H]
  const dx = L.optional(grads.x !== null, B * T * X);
  const dWih = L.optional(grads.weightIh !== null, G * X);
  const dWhh = L.optional(grads.weightHh !== null, G * H);
  const dbIh = L.optional(wantBias, G);
  // Reset after: b_hn sits inside r⊙(·), so b_hh gets its own gradient; reset before: b_ih's.
  const dbHh = L.optional(wantBias && !resetBefore, G);
  const sqP = sq ? L.bytes(8 * sq.length) : 0;
  const work = L.bytes(k.gruWorkspace(B, T, X, H));
  if (!L.commit()) return false;
  // After commit: reserving scratch may have moved the saved block.
  const [gates, hp, sv] = resident ? [resident.ptr(0), resident.ptr(1), resident.ptr(2)] : copied!;
  if (copied) {
    args.saved.slabs.forEach((s, i) => {
      put(arena, copied[i]!, s);
    });
  }
  put(arena, lens, g.lengths);
  if (x) put(arena, x, args.x);
  if (wih) put(arena, wih, args.weights.weightIh);
  put(arena, whh, args.weights.weightHh);
  if (dY) put(arena, dY, args.dOutput!);
  put(arena, dh, args.dh);
  // The kernel writes only valid rows: start from the caller's values so padded entries stay as they are.
  if (sq) new Float64Array(arena.f32.buffer, sqP, sq.length).set(sq);
  const dG = dGSlot || gates!;
  k.gruBackward(
    B, T, X, H, lens, g.reverse ? 1 : 0, resetBefore ? 1 : 0, x, wih, whh, gates!, hp!, sv!, dY, dh, dG, dGn, dx, dWih, dWhh, dbIh, dbHh, sqP, work,
  );
  get(arena, dh, args.dh);
  if (grads.x) get(arena, dx, grads.x);
  if (grads.weightIh) get(arena, dWih, grads.weightIh);
  if (grads.weightHh) get(arena, dWhh, grads.weightHh);
  if (grads.biasIh) get(arena, dbIh, grads.biasIh);
  if (grads.biasHh) get(arena, dbHh || dbIh, grads.biasHh);
  if (sq) sq.set(new Float64Array(arena.f32.buffer, sqP, sq.length));
  if (resident && args.final) resident.release();
  return true;
}
