import type { Backend } from '../backend.js';
import type { Arena } from './arena.js';
import type { KernelExports } from './kernels.js';
import { gruBackwardWasm, gruForwardWasm } from './gru-sequence.js';
import { lstmBackwardWasm, lstmForwardWasm } from './lstm-sequence.js';
import { rnnBackwardWasm, rnnForwardWasm } from './rnn-sequence.js';

/**
 * The wasm backend's fused sequence kernels. Each call copies its inputs into the arena once, runs the whole time
 * loop (and, backward, the all-steps weight-gradient GEMMs) in wasm, and copies its results out.
 *
 * Memory strategy for the saved activations: they stay in wasm memory between forward and backward, in a saved block
 * above the arena's scratch (saved-slabs.ts, arena.ts). Copying them out to JS and back in costs little time (~2% of
 * an S2 LSTM step, 28 MB each way) but a lot of memory: the JS copies of earlier steps linger until V8 collects them
 * and the arena holds a second copy during backward. Measured with bench/src/suites/rnn-memory.mjs' loop (40 S2 LSTM
 * steps, loaded machine): peak RSS 208 MB copying out, 141 MB kept in wasm, against a 55 MB process baseline and
 * 40 MB the run must hold. The block is released by the backward pass that frees the graph (`final`), which may then
 * overwrite the gate activations with their gradients in place, or by a FinalizationRegistry when the graph is
 * dropped without a backward pass.
 *
 * A call too large for the arena runs the js kernel, which reads and writes the same slab layout; a saved block
 * exposes its slabs to the js kernels by copying them out.
 */
export function makeRecurrent(
  k: KernelExports,
  arena: Arena,
  js: Backend,
): Pick<Backend, 'recurrentForward' | 'recurrentBackward'> {
  return {
    recurrentForward(args) {
      const kind = args.cell.kind;
      const saved =
        kind === 'lstm' ? lstmForwardWasm(k, arena, args) : kind === 'gru' ? gruForwardWasm(k, arena, args) : rnnForwardWasm(k, arena, args);
      return saved !== undefined ? saved : js.recurrentForward(args);
    },
    recurrentBackward(args) {
      const kind = args.cell.kind;
      const done =
        kind === 'lstm' ? lstmBackwardWasm(k, arena, args) : kind === 'gru' ? gruBackwardWasm(k, arena, args) : rnnBackwardWasm(k, arena, args);
      if (!done) js.recurrentBackward(args);
    },
  };
}
