import type { RecurrentBackwardArgs, RecurrentForwardArgs, RecurrentSaved } from '../recurrent.js';
import type { Arena } from './arena.js';
import type { KernelExports } from './kernels.js';
import { canSaveInWasm, residentIn, saveInWasm } from './saved-slabs.js';
import { SlabLayout, get, put, take } from './slab-layout.js';

/** `b_ih + b_hh` `[n]` (zeros without biases): the LSTM and RNN add them together. */
export function biasSum(args: RecurrentForwardArgs, n: number): Float32Array {
  const out = new Float32Array(n);
  const { biasIh, biasHh } = args.weights;
  if (biasIh && biasHh) for (let j = 0; j < n; j++) out[j] = biasIh[j]! + biasHh[j]!;
  return out;
}

/**
 * LSTM forward in wasm (assembly/lstm-sequence.ts): inputs and weights are copied in, the whole time loop runs in
 * one call, outputs and final state are copied out. With `keep`, the activations (the js kernel's slabs: gates,
 * h_{t−1}, c_{t−1}, tanh(c_t)) are written straight into a saved block in wasm memory. Returns undefined when the
 * call does not fit (the js kernel then runs).
 */
export function lstmForwardWasm(k: KernelExports, arena: Arena, args: RecurrentForwardArgs): RecurrentSaved | null | undefined {
  const { geometry: g, keep } = args;
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const G = 4 * H;
  const n = B * T * H;
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.f32(B * T * X); // [B, T, X]
  const wih = L.f32(G * X); // [4H, X]
  const whh = L.f32(G * H); // [4H, H]
  const bias = L.f32(G); // [4H]
  const h = L.f32(B * H); // [B, H]
  const c = L.f32(B * H); // [B, H]
  const y = L.optional(args.output !== null, n); // [B, T, H]; 0 = the kernel skips the outputs
  const sizes = [B * T * G, n, n, n];
  // Saved activations go into a saved block in wasm memory, or (when too many are held) into scratch and out to JS.
  const inWasm = keep && canSaveInWasm(arena, sizes);
  const slots = inWasm ? null : [L.f32(sizes[0]!), L.optional(keep, n), L.optional(keep, n), L.optional(keep, n)];
  const work = L.bytes(k.lstmWorkspace(B, T, X, H));
  if (!L.commit()) return undefined;
  const saved = inWasm ? saveInWasm(arena, sizes) : null;
  if (inWasm && !saved) return undefined;
  put(arena, lens, g.lengths);
  put(arena, x, args.x);
  put(arena, wih, args.weights.weightIh);
  put(arena, whh, args.weights.weightHh);
  put(arena, bias, biasSum(args, G));
  put(arena, h, args.h);
  put(arena, c, args.c!);
  const [gates, hp, cp, tc] = saved ? [saved.ptr(0), saved.ptr(1), saved.ptr(2), saved.ptr(3)] : slots!;
  k.lstmForward(B, T, X, H, lens, g.reverse ? 1 : 0, x, wih, whh, bias, h, c, y, gates!, keep ? 1 : 0, hp!, cp!, tc!, work);
  get(arena, h, args.h);
  get(arena, c, args.c!);
  if (args.output) get(arena, y, args.output);
  if (!keep || saved) return saved;
  return { slabs: slots!.map((p, i) => take(arena, p, sizes[i]!)) };
}

/** LSTM backward in wasm; false when the call does not fit the arena. */
export function lstmBackwardWasm(k: KernelExports, arena: Arena, args: RecurrentBackwardArgs): boolean {
  const { geometry: g, grads } = args;
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const G = 4 * H;
  const n = B * T * H;
  const resident = residentIn(arena, args.saved);
  const sq = args.hiddenGradSquares;
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.optional(grads.weightIh !== null, B * T * X); // [B, T, X]
  const wih = L.optional(grads.x !== null, G * X); // [4H, X]
  const whh = L.f32(G * H); // [4H, H]
  // Saved activations: used where they are when this arena saved them, else copied in.
  const copied = resident ? null : [L.f32(B * T * G), L.f32(n), L.f32(n), L.f32(n)];
  // The gate activations are overwritten in place by their pre-activation gradients dG (each element is read before
  // it is written), saving a [B, T, 4H] slab, unless they must survive for another backward pass (retainGraph).
  const dGSlot = L.optional(resident !== null && !args.final, B * T * G); // [B, T, 4H]
  const dY = L.optional(args.dOutput !== null, n); // [B, T, H]
  const dh = L.f32(B * H); // [B, H]
  const dc = L.f32(B * H);
  const dx = L.optional(grads.x !== null, B * T * X);
  const dWih = L.optional(grads.weightIh !== null, G * X);
  const dWhh = L.optional(grads.weightHh !== null, G * H);
  const db = L.optional(grads.biasIh !== null || grads.biasHh !== null, G);
  const sqP = sq ? L.bytes(8 * sq.length) : 0;
  const work = L.bytes(k.lstmWorkspace(B, T, X, H));
  if (!L.commit()) return false;
  // After commit: reserving scratch may have moved the saved block.
  const [gates, hp, cp, tc] = resident ? [resident.ptr(0), resident.ptr(1), resident.ptr(2), resident.ptr(3)] : copied!;
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
  put(arena, dc, args.dc!);
  // The kernel writes only valid rows: start from the caller's values so padded entries stay as they are.
  if (sq) new Float64Array(arena.f32.buffer, sqP, sq.length).set(sq);
  const dG = dGSlot || gates!;
  const stateGrads = args.initialStateGrads === false ? 0 : 1;
  k.lstmBackward(B, T, X, H, lens, g.reverse ? 1 : 0, x, wih, whh, gates!, hp!, cp!, tc!, dY, dh, dc, dG, dx, dWih, dWhh, db, sqP, stateGrads, work);
  get(arena, dh, args.dh);
  get(arena, dc, args.dc!);
  if (grads.x) get(arena, dx, grads.x);
  if (grads.weightIh) get(arena, dWih, grads.weightIh);
  if (grads.weightHh) get(arena, dWhh, grads.weightHh);
  // b_hh enters the LSTM where b_ih does: the same gradient.
  if (grads.biasIh) get(arena, db, grads.biasIh);
  if (grads.biasHh) get(arena, db, grads.biasHh);
  if (sq) sq.set(new Float64Array(arena.f32.buffer, sqP, sq.length));
  if (resident && args.final) resident.release();
  return true;
}
