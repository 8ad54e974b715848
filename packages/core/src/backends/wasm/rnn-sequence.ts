import { BackendError } from '../../errors.js';
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
 * RNN forward in wasm (assembly/rnn-sequence.ts); with `keep`, saves h_{t−1} (the js kernel's slab) in a saved block
 * in wasm memory. Returns undefined when the call does not fit (the js kernel then runs).
 */
export function rnnForwardWasm(k: KernelExports, arena: Arena, args: RecurrentForwardArgs): RecurrentSaved | null | undefined {
  const { geometry: g, keep } = args;
  if (keep && !args.output) throw new BackendError('rnnSequence: keep needs the outputs (the backward pass reads them as activations)');
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const n = B * T * H;
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.f32(B * T * X); // [B, T, X]
  const wih = L.f32(H * X); // [H, X]
  const whh = L.f32(H * H); // [H, H]
  const bias = L.f32(H); // [H]
  const h = L.f32(B * H); // [B, H]
  const y = L.optional(args.output !== null, n); // [B, T, H]; 0 = the kernel skips the outputs (no backward)
  const p = L.f32(n); // [B, T, H] input projection
  // h_{t−1} goes into a saved block in wasm memory, or (when too many are held) into scratch and out to JS.
  const inWasm = keep && canSaveInWasm(arena, [n]);
  const slot = L.optional(keep && !inWasm, n); // [B, T, H]
  const work = L.bytes(k.rnnWorkspace(B, T, X, H));
  if (!L.commit()) return undefined;
  const saved = inWasm ? saveInWasm(arena, [n]) : null;
  if (inWasm && !saved) return undefined;
  const hp = saved ? saved.ptr(0) : slot;
  put(arena, lens, g.lengths);
  put(arena, x, args.x);
  put(arena, wih, args.weights.weightIh);
  put(arena, whh, args.weights.weightHh);
  put(arena, bias, biasSum(args, H));
  put(arena, h, args.h);
  k.rnnForward(B, T, X, H, lens, g.reverse ? 1 : 0, isRelu(args), x, wih, whh, bias, h, y, p, keep ? 1 : 0, hp, work);
  get(arena, h, args.h);
  if (args.output) get(arena, y, args.output);
  if (!keep || saved) return saved;
  return { slabs: [take(arena, slot, n)] };
}

/** RNN backward in wasm; false when the call does not fit the arena. */
export function rnnBackwardWasm(k: KernelExports, arena: Arena, args: RecurrentBackwardArgs): boolean {
  const { geometry: g, grads } = args;
  if (!args.output) throw new BackendError('rnnSequence: the backward pass needs the forward outputs');
  const { batch: B, steps: T, inputSize: X, hiddenSize: H } = g;
  const n = B * T * H;
  const sq = args.hiddenGradSquares;
  const L = new SlabLayout(arena);
  const lens = L.f32(B);
  const x = L.optional(grads.weightIh !== null, B * T * X); // [B, T, X]
  const wih = L.optional(grads.x !== null, H * X); // [H, X]
  const whh = L.f32(H * H); // [H, H]
  // The outputs, overwritten in place by the pre-activation gradients dA (each element is read before it is written).
  const y = L.f32(n); // [B, T, H]
  const resident = residentIn(arena, args.saved);
  const copied = resident ? 0 : L.f32(n); // [B, T, H] h_{t−1}, copied in unless this arena saved it
  const dY = L.optional(args.dOutput !== null, n);
  const dh = L.f32(B * H); // [B, H]
  const dx = L.optional(grads.x !== null, B * T * X);
  const dWih = L.optional(grads.weightIh !== null, H * X);
  const dWhh = L.optional(grads.weightHh !== null, H * H);
  const db = L.optional(grads.biasIh !== null || grads.biasHh !== null, H);
  const sqP = sq ? L.bytes(8 * sq.length) : 0;
  const work = L.bytes(k.rnnWorkspace(B, T, X, H));
  if (!L.commit()) return false;
  put(arena, lens, g.lengths);
  if (x) put(arena, x, args.x);
  if (wih) put(arena, wih, args.weights.weightIh);
  put(arena, whh, args.weights.weightHh);
  put(arena, y, args.output);
  // After commit: reserving scratch may have moved the saved block.
  const hp = resident ? resident.ptr(0) : copied;
  if (!resident) put(arena, hp, args.saved.slabs[0]!);
  if (dY) put(arena, dY, args.dOutput!);
  put(arena, dh, args.dh);
  // The kernel writes only valid rows: start from the caller's values so padded entries stay as they are.
  if (sq) new Float64Array(arena.f32.buffer, sqP, sq.length).set(sq);
  k.rnnBackward(B, T, X, H, lens, g.reverse ? 1 : 0, isRelu(args), x, wih, whh, y, hp, dY, dh, y, dx, dWih, dWhh, db, sqP, work);
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
