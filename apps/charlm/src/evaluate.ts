import type { LstmState } from '@elman/cells';
import { Tensor, crossEntropy, noGrad } from '@elman/core';
import type { CausalLM } from '@elman/transformer';
import type { CharLstm } from './char-lstm.js';

/**
 * Held-out bits per character of the LSTM reading `ids` as `streams` contiguous streams in chunks of `chunk`
 * characters, the state carried across chunks (so every character sees its whole stream's past).
 */
export function lstmBpc(model: CharLstm, ids: Int32Array, streams = 16, chunk = 256): number {
  const L = Math.floor((ids.length - 1) / streams); // characters predicted per stream
  model.eval();
  let nats = 0;
  noGrad(() => {
    let state: LstmState | undefined;
    for (let t0 = 0; t0 < L; t0 += chunk) {
      const t = Math.min(chunk, L - t0);
      const x = new Int32Array(streams * t);
      const y = new Int32Array(streams * t);
      for (let s = 0; s < streams; s++) {
        x.set(ids.subarray(s * L + t0, s * L + t0 + t), s * t);
        y.set(ids.subarray(s * L + t0 + 1, s * L + t0 + t + 1), s * t);
      }
      const run = model.forward(new Tensor(x, [streams, t]), { state }); // logits [S, t, V]
      state = run.state;
      nats += crossEntropy(run.output, new Tensor(y, [streams, t]), { axis: -1, reduction: 'sum' }).item();
    }
  });
  model.train();
  return nats / (streams * L) / Math.LN2;
}

/**
 * Held-out bits per character of the transformer over consecutive windows of `context` characters (each character is
 * predicted from the ones before it in its window), in batches of `batch` windows.
 */
export function transformerBpc(model: CausalLM, ids: Int32Array, context: number, batch = 32): number {
  const windows = Math.floor((ids.length - 1) / context);
  model.eval();
  let nats = 0;
  noGrad(() => {
    for (let w0 = 0; w0 < windows; w0 += batch) {
      const n = Math.min(batch, windows - w0);
      const x = new Int32Array(n * context);
      const y = new Int32Array(n * context);
      for (let i = 0; i < n; i++) {
        const o = (w0 + i) * context;
        x.set(ids.subarray(o, o + context), i * context);
        y.set(ids.subarray(o + 1, o + context + 1), i * context);
      }
      nats += crossEntropy(model.forward(new Tensor(x, [n, context])), new Tensor(y, [n, context]), { axis: -1, reduction: 'sum' }).item();
    }
  });
  model.train();
  return nats / (windows * context) / Math.LN2;
}
