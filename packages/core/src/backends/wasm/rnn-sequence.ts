import type { RecurrentBackwardArgs, RecurrentForwardArgs, RecurrentSaved } from '../recurrent.js';
import type { Arena } from './arena.js';
import type { KernelExports } from './kernels.js';
import { biasSum } from './lstm-sequence.js';
import { canSaveInWasm, residentIn, saveInWasm } from './saved-slabs.js';
import { SlabLayout, get, put, take } from './slab-layout.js';

function isRelu(args: RecurrentForwardArgs | RecurrentBackwardArgs): number {
  return args.cell.kind === 'rnn' && args.cell.nonlinearity === 'relu' ? 1 : 0;
}

/**
 * RNN forward in wasm (assembly/rnn-sequence.ts). With `keep`, the kernel writes h_{t−1} and the outputs h_t (the js
 * kernel's slabs; the outputs double as the activations) straight into a saved block in wasm memory, so backward
 * reads them where they are, and a caller that wants no outputs gets none copied out. Returns undefined when the
 * call does not fit (the js kernel then runs).
 */
export function rnnForwardWasm(k: KernelExports, arena: Arena, args: RecurrentForwardArgs): RecurrentSaved | null | undefined {
  const { geometry: g, keep } = args;
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const n = B * T * H;
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.f32(B * T * X); // [B, T, X]
  const wih = L.f32(H * X); // [H, X]
  const whh = L.f32(H * H); // [H, H]
  const bias = L.f32(H); // [H]
  const h = L.f32(B * H); // [B, H]
  const p = L.f32(n); // [B, T, H] input projection
  const sizes = [n, n];
  // h_{t−1} and h_t go into a saved block in wasm memory, or (when too many are held) into scratch and out to JS.
  const inWasm = keep && canSaveInWasm(arena, sizes);
  const slots = inWasm ? null : [L.optional(keep, n), L.optional(keep || args.output !== null, n)]; // [B, T, H] each
  const work = L.bytes(k.rnnWorkspace(B, T, X, H));
  if (!L.commit()) return undefined;
  const saved = inWasm ? saveInWasm(arena, sizes) : null;
  if (inWasm && !saved) return undefined;
  // y = 0: no outputs at all (no backward pass and no caller reading them).
  const [hp, y] = saved ? [saved.ptr(0), saved.ptr(1)] : (slots as [number, number]);
  put(arena, lens, g.lengths);
  put(arena, x, args.x);
  put(arena, wih, args.weights.weightIh);
  put(arena, whh, args.weights.weightHh);
  put(arena, bias, biasSum(args, H));
  put(arena, h, args.h);
  k.rnnForward(B, T, X, H, lens, g.reverse ? 1 : 0, isRelu(args), x, wih, whh, bias, h, y, p, keep ? 1 : 0, hp, work);
  get(arena, h, args.h);
  // Padded rows of y are zeroed by the kernel, so the whole slab is the caller's output.
  if (args.output) get(arena, y, args.output);
  if (!keep || saved) return saved;
  return { slabs: sizes.map((m, i) => take(arena, slots![i]!, m)) };
}

/** RNN backward in wasm; false when the call does not fit the arena. */
export function rnnBackwardWasm(k: KernelExports, arena: Arena, args: RecurrentBackwardArgs): boolean {
  const { geometry: g, grads } = args;
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const n = B * T * H;
  const sq = args.hiddenGradSquares;
  const resident = residentIn(arena, args.saved);
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.optional(grads.weightIh !== null, B * T * X); // [B, T, X]
  const wih = L.optional(grads.x !== null, H * X); // [H, X]
  const whh = L.f32(H * H); // [H, H]
  // Saved h_{t−1} and h_t: used where they are when this arena saved them, else copied in.
  const copied = resident ? null : [L.f32(n), L.f32(n)];
  // The outputs are overwritten in place by the pre-activation gradients dA (each element is read before it is
  // written), unless they must survive for another backward pass (retainGraph).
  const dASlot = L.optional(resident !== null && !args.final, n); // [B, T, H]
  const dY = L.optional(args.dOutput !== null, n);
  const dh = L.f32(B * H); // [B, H]
  const dx = L.optional(grads.x !== null, B * T * X);
  const dWih = L.optional(grads.weightIh !== null, H * X);
  const dWhh = L.optional(grads.weightHh !== null, H * H);
  const db = L.optional(grads.biasIh !== null || grads.biasHh !== null, H);
  const sqP = sq ? L.bytes(8 * sq.length) : 0;
  const work = L.bytes(k.rnnWorkspace(B, T, X, H));
  if (!L.commit()) return false;
  // After commit: reserving scratch may have moved the saved block.
  const [hp, y] = resident ? [resident.ptr(0), resident.ptr(1)] : (copied as [number, number]);
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
  const dA = dASlot || y;
  const stateGrads = args.initialStateGrads === false ? 0 : 1;
  k.rnnBackward(B, T, X, H, lens, g.reverse ? 1 : 0, isRelu(args), x, wih, whh, y, hp, dY, dh, dA, dx, dWih, dWhh, db, sqP, stateGrads, work);
  get(arena, dh, args.dh);
  if (grads.x) get(arena, dx, grads.x);
  if (grads.weightIh) get(arena, dWih, grads.weightIh);
  if (grads.weightHh) get(arena, dWhh, grads.weightHh);
  // b_hh enters where b_ih does: the same gradient.
  if (grads.biasIh) get(arena, db, grads.biasIh);
  if (grads.biasHh) get(arena, db, grads.biasHh);
  if (sq) sq.set(new Float64Array(arena.f32.buffer, sqP, sq.length));
  if (resident && args.final) resident.release();
  return true;
}
