/**
 * ONNX export, inference: an LSTM S2 (B 64, T 64, X 128, H 256; the rnn suite's S2) exported with `exportOnnx` and
 * run by onnxruntime-node on one thread (`intraOpNumThreads: 1`), against Elman's own forward of the same layer on
 * the same input. The measured repetition is Elman's forward (so the line's backend is the one timed);
 * onnxruntime's median is measured once in the same process while the case is set up and reported as the extras
 * `onnxruntimeMs` and `elmanOverOnnxruntime` (Elman's time / onnxruntime's: above 1, onnxruntime is faster).
 */
import * as cells from '@elman/cells';
import { exportOnnx } from '@elman/onnx';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { measureAsync } from '../measure.mjs';

/** onnxruntime's median repetition time, set by the case's setup and read by `extras` in the same process. */
let onnxruntimeMs = Number.NaN;

/** @type {import('./types.mjs').Suite} */
export const onnx = {
  name: 'onnx',
  unit: 'ms',
  higherIsBetter: false,
  async: true,
  cases: [
    {
      shape: 'lstm infer S2 B=64 T=64 X=128 H=256',
      params: { b: 64, t: 64, x: 128, h: 256 },
      note: 'LSTM forward over the sequence: Elman vs the exported model in onnxruntime-node (1 thread)',
    },
  ],
  value: (_params, medianMs) => medianMs,
  extras: (_params, medianMs) => ({ onnxruntimeMs, elmanOverOnnxruntime: medianMs / onnxruntimeMs }),
  measureOptions: () => ({ warmupMs: 200, minWarmupReps: 1, minTimeMs: 1000, minReps: 5, maxReps: 20 }),

  async elman(core, { b, t, x, h }) {
    const layer = new cells.LSTM({ inputSize: x, hiddenSize: h, generator: new core.Generator(1) });
    layer.eval();
    const input = core.randn([b, t, x]); // [B, T, X]
    const bytes = exportOnnx(layer, input, { inputNames: ['input'], outputNames: ['output', 'h_n', 'c_n'] });
    const session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const feeds = { input: new OrtTensor('float32', input.data, [b, t, x]) };
    ({ medianMs: onnxruntimeMs } = await measureAsync(
      async () => {
        await session.run(feeds);
      },
      { warmupMs: 200, minWarmupReps: 1, minTimeMs: 1000, minReps: 5, maxReps: 20 },
    ));
    return () => {
      core.noGrad(() => layer.forward(input)); // output [B, T, H], state [B, H]
    };
  },
};
