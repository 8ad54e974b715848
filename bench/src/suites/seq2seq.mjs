/**
 * Encoder–decoder with attention through @elman/seq2seq's public API: a BiLSTM encoder (`lstm({bidirectional})` from
 * @elman/wrappers) and a Bahdanau-attention LSTM decoder with input feeding (`AttentionDecoder`, `Seq2Seq`).
 *
 * `seq2seq-train`: one teacher-forced training step (forward over S source and T target steps, masked cross-entropy,
 * backward, Adam) at B 32, S 24, T 12, E 64, H_enc 128 per direction (memory C = 256), H_dec 256, V 64 (source and
 * target), in ms. The tfjs peer is the same model built from tfjs ops (oneHot·matMul embeddings, matMul, sigmoid/tanh, softmax), the
 * same sizes and equations (PyTorch gate order i f g o, additive scores vᵀ tanh(W_q h_t + W_k m_s + b), h̃ =
 * tanh(W_c [c_t; h_t]), logits W_o h̃ + b_o, input feeding), differentiated with `tf.variableGrads` and stepped by
 * `tf.train.adam`.
 *
 * `seq2seq-decode` / `seq2seq-beam`: greedy decoding (the whole batch per step) of B 32 sources and beam search (beam 4,
 * one example at a time, as `Seq2Seq.generate` does) of 8 sources, length 24, for exactly 12 tokens, in target tokens
 * per second. END's output bias is set to −1e4 on both sides so that every sequence runs the full 12 steps (random
 * weights would stop at random lengths). Greedy has the tfjs peer built from the same ops; beam search has none
 * (tfjs has no beam search).
 */
import { AttentionDecoder, BahdanauAttention, Encoder, Seq2Seq } from '@elman/seq2seq';
import { lstm } from '@elman/wrappers';

const B = 32;
const S = 24;
const T = 12;
const E = 64;
const HE = 128;
const H = 2 * HE;
const V = 64;
/** Sources per beam-search repetition (beam search decodes one example at a time, so fewer suffice). */
const BEAM_B = 8;
const PAD = 0;
const START = 1;
const END = 2;

/** Random ids in [3, V) (no specials), `[n, len]`. */
function ids(core, n, len, gen) {
  const d = new Int32Array(n * len);
  for (let i = 0; i < d.length; i++) d[i] = 3 + gen.randint(V - 3);
  return new core.Tensor(d, [n, len]);
}

/** The Elman model, END made unreachable when `noEnd`. */
function buildModel(core, gen, noEnd) {
  const encoder = new Encoder({
    embedding: new core.Embedding(V, E, { paddingIdx: PAD, generator: gen }),
    rnn: lstm({ inputSize: E, hiddenSize: HE, bidirectional: true, generator: gen }),
  });
  const decoder = new AttentionDecoder({
    embedding: new core.Embedding(V, E, { paddingIdx: PAD, generator: gen }),
    hiddenSize: H,
    attention: new BahdanauAttention({ querySize: H, keySize: H, generator: gen }),
    encoderStateSize: H,
    generator: gen,
  });
  if (noEnd) decoder.out.bias.data[END] = -1e4;
  return new Seq2Seq({ encoder, decoder, startId: START, endId: END, padId: PAD, generator: gen });
}

/** The same model's weights in tfjs (uniform ±1/√fan like PyTorch; values do not change the work). */
function tfWeights(tf) {
  const u = (shape, fan) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fan), 1 / Math.sqrt(fan)));
  const lstmW = (x, h) => ({ w: u([x + h, 4 * h], h), b: u([4 * h], h) });
  const outBias = tf.buffer([V]);
  outBias.set(-1e4, END);
  return {
    srcEmb: u([V, E], 1),
    tgtEmb: u([V, E], 1),
    fwd: lstmW(E, HE),
    bwd: lstmW(E, HE),
    dec: lstmW(E + H, H),
    wq: u([H, H], H),
    wk: u([H, H], H),
    bk: u([H], H),
    v: u([H, 1], H),
    wc: u([2 * H, H], 2 * H),
    wo: u([H, V], H),
    bo: tf.variable(outBias.toTensor()),
  };
}

/**
 * Embedding lookup as oneHot(ids) · table: tfjs-wasm has no kernel for the gradient of `gather`
 * (UnsortedSegmentSum), and at V = 64 the product costs little. ids [n] or [n, L] → [n, E] or [n, L, E].
 */
function embed(tf, table, ids) {
  const flat = tf.matMul(tf.oneHot(tf.reshape(ids, [-1]), V).toFloat(), table); // [n·L, E]
  return ids.rank === 1 ? flat : tf.reshape(flat, [...ids.shape, E]);
}

/** One LSTM step, gates i f g o: x [B, X], h/c [B, Hc] → {h, c}. */
function lstmStep(tf, p, x, h, c) {
  const z = tf.add(tf.matMul(tf.concat([x, h], 1), p.w), p.b); // [B, 4Hc]
  const [i, f, g, o] = tf.split(z, 4, 1);
  const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  return { h: tf.mul(tf.sigmoid(o), tf.tanh(c2)), c: c2 };
}

/** BiLSTM encoder: memory [B, S, H] and the decoder's initial state (directions concatenated). */
function tfEncode(tf, w, src) {
  const x = embed(tf, w.srcEmb, src); // [B, S, E]
  const steps = tf.unstack(x, 1); // S × [B, E]
  const zero = tf.zeros([B, HE]);
  let f = { h: zero, c: zero };
  let r = { h: zero, c: zero };
  const fo = [];
  const ro = new Array(S);
  for (let s = 0; s < S; s++) {
    f = lstmStep(tf, w.fwd, steps[s], f.h, f.c);
    fo.push(f.h);
  }
  for (let s = S - 1; s >= 0; s--) {
    r = lstmStep(tf, w.bwd, steps[s], r.h, r.c);
    ro[s] = r.h;
  }
  const memory = tf.stack(fo.map((h, s) => tf.concat([h, ro[s]], 1)), 1); // [B, S, H]
  const keys = tf.add(tf.reshape(tf.matMul(tf.reshape(memory, [B * S, H]), w.wk), [B, S, H]), w.bk); // [B, S, H]: W_k m + b, once
  return { memory, keys, h: tf.concat([f.h, r.h], 1), c: tf.concat([f.c, r.c], 1), feed: tf.zeros([B, H]) };
}

/** One decoder step with input feeding and additive attention: logits [B, V] and the next state. */
function tfDecodeStep(tf, w, enc, prev, state) {
  const x = tf.concat([embed(tf, w.tgtEmb, prev), state.feed], 1); // [B, E + H]
  const { h, c } = lstmStep(tf, w.dec, x, state.h, state.c); // [B, H]
  const q = tf.expandDims(tf.matMul(h, w.wq), 1); // [B, 1, H]
  const scores = tf.reshape(tf.matMul(tf.reshape(tf.tanh(tf.add(enc.keys, q)), [B * S, H]), w.v), [B, S]); // [B, S]
  const a = tf.softmax(scores); // [B, S]
  const context = tf.squeeze(tf.matMul(tf.expandDims(a, 1), enc.memory), [1]); // [B, H]
  const feed = tf.tanh(tf.matMul(tf.concat([context, h], 1), w.wc)); // [B, H]
  return { logits: tf.add(tf.matMul(feed, w.wo), w.bo), state: { h, c, feed } };
}

/**
 * tfjs built from ops takes seconds per repetition here (≈ 34 s per training step and 9 s per greedy decode on
 * tfjs-cpu, loaded machine), so the peers run 1 warm-up + 2 timed repetitions (tfjs-cpu: 1 cold one) to stay within
 * the time limit; Elman keeps the harness's default timing.
 */
function slowPeerTiming(_p, subject) {
  if (subject === 'tfjs-cpu') return { warmupMs: 0, minWarmupReps: 0, minTimeMs: 0, minReps: 1 };
  if (subject === 'tfjs-wasm') return { warmupMs: 0, minWarmupReps: 1, minTimeMs: 0, minReps: 2 };
  return {};
}

/** Random int32 ids [n, len] in [3, V) for tfjs. */
function tfIds(tf, n, len) {
  return tf.randomUniform([n, len], 3, V, 'int32');
}

/** @type {import('./types.mjs').Suite} */
export const seq2seq = {
  name: 'seq2seq-train',
  unit: 'ms',
  higherIsBetter: false,
  cases: [
    {
      shape: `B=${B} S=${S} T=${T} E=${E} Henc=${HE}x2 Hdec=${H} V=${V}`,
      params: {},
      note: 'BiLSTM encoder + Bahdanau-attention LSTM decoder: teacher-forced training step (forward, backward, Adam)',
    },
  ],
  value: (_params, medianMs) => medianMs,
  extras: (_p, medianMs) => ({ targetTokensPerSec: (B * T * 1000) / medianMs }),
  measureOptions: slowPeerTiming,
  timeoutMs: 400_000,

  elman(core) {
    const gen = new core.Generator(0);
    const model = buildModel(core, gen, false);
    const src = ids(core, B, S, gen); // [B, S]
    const tgt = ids(core, B, T, gen); // [B, T]
    const opt = new core.Adam(model.parameters(), { lr: 1e-3 });
    return () => {
      opt.zeroGrad();
      model.loss(src, tgt).backward();
      opt.step();
    };
  },

  tfjs(tf) {
    const w = tfWeights(tf);
    const src = tfIds(tf, B, S);
    const tgt = tfIds(tf, B, T);
    const gold = tf.unstack(tgt, 1); // T × [B]
    const opt = tf.train.adam(1e-3);
    const loss = () => {
      const enc = tfEncode(tf, w, src);
      let state = enc;
      let prev = tf.fill([B], START, 'int32');
      const logits = [];
      for (let t = 0; t < T; t++) {
        const r = tfDecodeStep(tf, w, enc, prev, state);
        logits.push(r.logits);
        state = r.state;
        prev = gold[t]; // teacher forcing
      }
      const all = tf.reshape(tf.stack(logits, 1), [B * T, V]); // [B·T, V]
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.reshape(tgt, [B * T]), V), all);
    };
    return () => {
      tf.tidy(() => {
        opt.minimize(loss);
      });
    };
  },
};

/** Elman's decoding repetition over `n` sources: `beam` 1 is greedy. */
function decodeRun(core, beam, n) {
  const gen = new core.Generator(0);
  const model = buildModel(core, gen, true);
  model.eval();
  const src = ids(core, n, S, gen); // [n, S]
  return () => {
    const out = model.generate(src, { maxLength: T, beamSize: beam });
    if (out[0].tokens.length !== T) throw new Error(`seq2seq decode: expected ${T} tokens, got ${out[0].tokens.length}`);
  };
}

/** @type {import('./types.mjs').Suite} */
export const seq2seqDecode = {
  name: 'seq2seq-decode',
  unit: 'tokens/s',
  higherIsBetter: true,
  cases: [{ shape: `greedy B=${B} S=${S} T=${T}`, params: {}, note: 'greedy decoding, whole batch per step, 12 tokens per sequence' }],
  value: (_params, medianMs) => (B * T * 1000) / medianMs,
  measureOptions: slowPeerTiming,
  timeoutMs: 400_000,
  elman: (core) => decodeRun(core, 1, B),

  tfjs(tf) {
    const w = tfWeights(tf);
    const src = tfIds(tf, B, S);
    return () => {
      tf.tidy(() => {
        const enc = tfEncode(tf, w, src);
        let state = enc;
        let prev = tf.fill([B], START, 'int32');
        for (let t = 0; t < T; t++) {
          const r = tfDecodeStep(tf, w, enc, prev, state);
          state = r.state;
          prev = tf.cast(tf.argMax(r.logits, 1), 'int32'); // [B]
          prev.dataSync(); // greedy decoding reads every token back, as Elman's does
        }
      });
    };
  },
};

/** @type {import('./types.mjs').Suite} */
export const seq2seqBeam = {
  name: 'seq2seq-beam',
  unit: 'tokens/s',
  higherIsBetter: true,
  cases: [{ shape: `beam=4 B=${BEAM_B} S=${S} T=${T}`, params: {}, note: 'beam search (beam 4), one example at a time, 12 tokens per sequence; tfjs has no beam search' }],
  value: (_params, medianMs) => (BEAM_B * T * 1000) / medianMs,
  // Seconds per repetition on the js backend: 1 warm-up + 3 timed repetitions.
  measureOptions: () => ({ warmupMs: 0, minWarmupReps: 1, minTimeMs: 0, minReps: 3 }),
  timeoutMs: 400_000,
  elman: (core) => decodeRun(core, 4, BEAM_B),
};
