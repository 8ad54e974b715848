/**
 * The recurrent training step against NumPy/OpenBLAS: issue #3's "moonshot" peer. The same cases and Elman code as
 * the rnn suite's training steps (single-layer LSTM, GRU, tanh RNN; forward + BPTT + Adam, MSE on a Linear(H, 1)
 * head of the last hidden state; S1 and S2), against bench/numpy/rnn_step.py: the same model and the same fused
 * algorithm in NumPy (one input-projection GEMM for all steps, one recurrent GEMM per step, all-time-step weight
 * gradients; its gradients are checked against finite differences by `python3 bench/numpy/rnn_step.py --check`).
 *
 * Both on one thread (OPENBLAS_NUM_THREADS=1). NumPy times its own steps (2 warm-up steps then the median of 5 at S1,
 * 1 then 3 at S2) in a python3 process spawned inside the measurement, so it runs in the same case as Elman's
 * timing; without python3 and numpy the peer is left out with a note on stderr. OpenBLAS picks its kernels for the
 * CPU at run time: on this machine's AVX-512 cores they work on 16 floats per instruction, WebAssembly SIMD on 4.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rnn } from './rnn.mjs';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'numpy', 'rnn_step.py');
const CELLS = ['lstm', 'gru', 'rnn'];

/** The NumPy step of this process's case: median ms, repetitions and NumPy's version; null when it could not run. */
let numpy = null;

function runNumpy(p) {
  const long = p.b >= 64;
  const args = [SCRIPT, CELLS[p.cell], p.b, p.t, p.x, p.h, long ? 1 : 2, long ? 3 : 5].map(String);
  const r = spawnSync('python3', args, { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }, timeout: 300_000 });
  if (r.status !== 0) {
    process.stderr.write(`bench rnn-numpy: NumPy peer skipped (${r.error?.message ?? r.stderr.trim().split('\n').pop()})\n`);
    return null;
  }
  return JSON.parse(r.stdout);
}

/** @type {import('./types.mjs').Suite} */
export const rnnNumpy = {
  name: 'rnn-numpy',
  unit: 'ms',
  higherIsBetter: false,
  cases: rnn.cases.filter((c) => c.params.train).map((c) => ({ ...c, note: `${c.note}; peer: NumPy/OpenBLAS, same fused algorithm, 1 thread` })),
  value: rnn.value,
  extras: rnn.extras,
  measureOptions: rnn.measureOptions,
  // The comparison is with the fast backend; the js one has the rnn suite.
  backends: ['wasm'],
  elman(core, p) {
    numpy = runNumpy(p);
    return rnn.elman(core, p);
  },
  peer: () =>
    numpy && {
      name: 'numpy',
      version: numpy.numpy,
      value: numpy.ms,
      threads: 1,
      reps: numpy.reps,
      detail: 'OpenBLAS, OPENBLAS_NUM_THREADS=1',
    },
};
