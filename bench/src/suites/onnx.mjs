/**
 * ONNX export, inference: an LSTM S2 (B 64, T 64, X 128, H 256; the rnn suite's S2) and a transformer encoder layer
 * (B 32, T 64, d 256, 8 heads, feed-forward 1024, post-norm relu; primitive ops) exported with `exportOnnx` and run
 * by onnxruntime-node on one thread (`intraOpNumThreads: 1`), against Elman's own forward of the same module on the
 * same input. The measured repetition is Elman's forward (so the line's backend is the one timed);
 * onnxruntime's median is measured once in the same process while the case is set up and reported as the extras
 * `onnxruntimeMs` and `elmanOverOnnxruntime` (Elman's time / onnxruntime's: above 1, onnxruntime is faster).
 */
import * as cells from '@elman/cells';
import { exportOnnx } from '@elman/onnx';
import { TransformerEncoderLayer } from '@elman/transformer';
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
    {
      shape: 'transformer encoder layer infer B=32 T=64 d=256 nhead=8 ff=1024',
      params: { b: 32, t: 64, d: 256, nhead: 8, ff: 1024 },
      note: 'TransformerEncoderLayer forward (post-norm, relu): Elman vs the exported model in onnxruntime-node (1 thread)',
    },
  ],
  value: (_params, medianMs) => medianMs,
  extras: (_params, medianMs) => ({ onnxruntimeMs, elmanOverOnnxruntime: medianMs / onnxruntimeMs }),
  measureOptions: () => ({ warmupMs: 200, minWarmupReps: 1, minTimeMs: 1000, minReps: 5, maxReps: 20 }),

  async elman(core, params) {
    const { b, t } = params;
    const generator = new core.Generator(1);
    // The LSTM case has x and h; the transformer case d, nhead and ff.
    const model =
      params.d === undefined
        ? new cells.LSTM({ inputSize: params.x, hiddenSize: params.h, generator })
        : new TransformerEncoderLayer({ dModel: params.d, nhead: params.nhead, dimFeedforward: params.ff, generator });
    model.eval();
    const features = params.d ?? params.x;
    const input = core.randn([b, t, features]); // [B, T, X] or [B, T, d]
    const bytes = exportOnnx(model, input, { inputNames: ['input'] });
    const session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const feeds = { input: new OrtTensor('float32', input.data, [b, t, features]) };
    ({ medianMs: onnxruntimeMs } = await measureAsync(
      async () => {
        await session.run(feeds);
      },
      { warmupMs: 200, minWarmupReps: 1, minTimeMs: 1000, minReps: 5, maxReps: 20 },
    ));
    return () => {
      core.noGrad(() => model.forward(input)); // LSTM: output [B, T, H], state [B, H]; transformer: [B, T, d]
    };
  },
};
