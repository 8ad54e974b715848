/**
 * Transformer benchmarks through @elman/transformer's public API.
 *
 * `transformer`: one training step's forward + backward of MultiheadAttention (B 32, T 128, E 256, 8 heads), in ms.
 * The tfjs peer is the same computation built from tfjs ops (matMul, softmax, transpose) differentiated with
 * `tf.variableGrads`; both sides take gradients of every weight (not of the input) of L = Σ output.
 *
 * `transformer-layer`: forward + backward of a post-norm TransformerEncoderLayer on the same shape with
 * dimFeedforward 1024, in ms. No peer: tfjs's cpu backend needs minutes per repetition here (about 16 s for the
 * attention alone), beyond the bench's time budget and its per-measurement timeout.
 *
 * `transformer-decode`: greedy decoding throughput of a small CausalLM (dModel 128, 4 heads, 2 layers) in tokens/s at
 * context lengths 64 … 512, with the KV cache (each token attends over the cache: O(T)) and without it (each token
 * re-runs the whole context: O(T²) attention plus O(T) projections). tfjs has no equivalent model, so no peer.
 */
import { CausalLM, MultiheadAttention, TransformerEncoderLayer } from '@elman/transformer';

const B = 32;
const T = 128;
const E = 256;
const HEADS = 8;
const FF = 1024;

/** @type {import('./types.mjs').Suite} */
export const transformer = {
  name: 'transformer',
  unit: 'ms',
  higherIsBetter: false,
  cases: [
    {
      shape: `[${B},${T},${E}] heads=${HEADS}`,
      params: {},
      note: 'MultiheadAttention forward+backward (self-attention, weight gradients)',
    },
  ],
  value: (_params, medianMs) => medianMs,

  elman(core) {
    const x = core.randn([B, T, E]); // [B, T, E]
    const mha = new MultiheadAttention({ embedDim: E, numHeads: HEADS });
    return () => {
      mha.forward(x, x, x, { needWeights: false }).context.sum().backward(); // context [B, T, E]
      mha.zeroGrad();
    };
  },

  tfjs(tf) {
    const x = tf.randomNormal([B * T, E]); // [B·T, E]
    const wqkv = tf.variable(tf.randomUniform([E, 3 * E], -0.1, 0.1));
    const bqkv = tf.variable(tf.zeros([3 * E]));
    const wo = tf.variable(tf.randomUniform([E, E], -0.1, 0.1));
    const bo = tf.variable(tf.zeros([E]));
    const Dh = E / HEADS;
    const heads = (t) => tf.transpose(tf.reshape(t, [B, T, HEADS, Dh]), [0, 2, 1, 3]); // [B, H, T, Dh]
    const loss = () => {
      const qkv = tf.add(tf.matMul(x, wqkv), bqkv); // [B·T, 3E]
      const [q, k, v] = tf.split(qkv, 3, 1).map(heads);
      const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(Dh))); // [B, H, T, T]
      const ctx = tf.reshape(tf.transpose(tf.matMul(p, v), [0, 2, 1, 3]), [B * T, E]); // [B·T, E]
      return tf.sum(tf.add(tf.matMul(ctx, wo), bo));
    };
    return () => {
      tf.tidy(() => {
        tf.variableGrads(loss);
      });
    };
  },
};

/** @type {import('./types.mjs').Suite} */
export const transformerLayer = {
  name: 'transformer-layer',
  unit: 'ms',
  higherIsBetter: false,
  cases: [
    {
      shape: `[${B},${T},${E}] heads=${HEADS} ff=${FF}`,
      params: {},
      note: 'TransformerEncoderLayer forward+backward (post-norm, relu, weight gradients)',
    },
  ],
  value: (_params, medianMs) => medianMs,

  elman(core) {
    const x = core.randn([B, T, E]); // [B, T, E]
    const enc = new TransformerEncoderLayer({ dModel: E, nhead: HEADS, dimFeedforward: FF, dropout: 0 });
    return () => {
      enc.forward(x).sum().backward(); // [B, T, E]
      enc.zeroGrad();
    };
  },
};

const DECODE_NEW = 8;

/** @param {number} context @param {0 | 1} cache */
function decodeCase(context, cache) {
  return {
    shape: `context=${context}, ${cache ? 'KV cache' : 'no cache'}`,
    params: { context, cache },
    note: cache ? 'CausalLM greedy decode with KV cache' : 'CausalLM greedy decode, full recompute per token',
  };
}

/** @type {import('./types.mjs').Suite} */
export const transformerDecode = {
  name: 'transformer-decode',
  unit: 'tokens/s',
  higherIsBetter: true,
  cases: [64, 128, 256, 512].flatMap((c) => [decodeCase(c, 1), decodeCase(c, 0)]),
  // One repetition decodes DECODE_NEW tokens, each at the case's context length.
  value: (_params, medianMs) => DECODE_NEW / (medianMs / 1000),

  elman(core, { context, cache }) {
    const vocabSize = 96;
    const lm = new CausalLM({ vocabSize, dModel: 128, nhead: 4, numLayers: 2, maxLength: 1024, dropout: 0 }).eval();
    const prompt = core.randint(0, vocabSize, [1, context]); // [1, context]
    const next = core.randint(0, vocabSize, [1, 1]); // [1, 1]
    if (cache) {
      const kv = lm.createCache(1);
      lm.forwardWithCache(prompt, kv);
      return () => {
        for (let i = 0; i < DECODE_NEW; i++) {
          kv.truncate(context);
          lm.forwardWithCache(next, kv); // [1, 1, V]: one new position over `context` cached ones
        }
      };
    }
    const full = core.randint(0, vocabSize, [1, context + 1]); // [1, context + 1]
    return () => {
      core.noGrad(() => {
        for (let i = 0; i < DECODE_NEW; i++) lm.forward(full); // [1, context + 1, V]: the whole prefix again
      });
    };
  },
};
