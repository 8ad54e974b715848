/**
 * The fused kernels of @elman/core (issue 3), each forward + backward through the public op, at realistic shapes:
 *
 * - `ce`: `crossEntropy` on logits [N 4096, C 10000] (a language model's vocabulary) with class targets: one
 *   softmax + NLL kernel forward, one gradient kernel backward. Peer: `tf.losses.softmaxCrossEntropy` (one-hot
 *   labels, built once), gradient of the logits.
 * - `linear-gelu`, `linear-relu`: `linear(x, W, b, {activation})` with x [B·T 2048, 512], W [2048, 512] (a
 *   transformer feed-forward's first half): GEMM with bias and activation in its epilogue; gradients of x, W and b.
 *   Peers: `tf.fused.matMul` with bias and relu (tfjs's own fused kernel); for GELU, which tfjs 4.22 lacks, the
 *   exact form 0.5·z·(1 + erf(z/√2)) from tfjs ops.
 * - `embedding`: lookup of N 8192 ids in a [V 30000, E 256] table, forward only. Peer: `tf.gather`. The table's
 *   gradient has no tfjs peer: tfjs-wasm 4.22 has no kernel for it (`UnsortedSegmentSum` is not registered for
 *   'wasm') and tfjs-cpu's ran past the bench's 180 s limit per measurement; `kernels-elman` times it.
 * - `attention`: `fusedAttention` (scores, softmax, context per batch·head) on q, k, v [B 32, h 8, T 128, d 32] with
 *   gradients of q, k and v. Peer: the same attention from tfjs ops (matMul, softmax), `tf.grads`.
 *
 * `kernels-elman` (no peer) times Elman's composed path on the same shapes, so the two suites' lines side by side
 * give the fusion's gain (`logSoftmax` + `nllLoss`; `linear` then `gelu`/`relu`; `matmul`, `softmax`, `matmul`),
 * and the embedding's forward + backward: on the [30000, 256] table (lookups fewer than rows: scatter-add in JS)
 * and on a [1000, 256] one (lookups outnumber rows: the wasm SIMD scatter-add).
 * Every loss is L = Σ output (Σ loss for ce), so each backward pass starts from ones. The peer is tfjs-wasm only
 * (see `peers` on the suite).
 */

const KINDS = ['ce', 'linear-gelu', 'linear-relu', 'embedding', 'attention', 'embedding-train', 'embedding-train-small'];

const CE = { n: 4096, c: 10000 };
const LIN = { rows: 2048, in: 512, out: 2048 };
const EMB = { v: 30000, e: 256, n: 8192 };
/** A table smaller than the batch of lookups (characters, tags, positions): the wasm scatter-add's case. */
const EMB_SMALL_V = 1000;
const ATT = { b: 32, h: 8, t: 128, d: 32 };

/** @param {string} kind */
function kernelCase(kind) {
  const k = KINDS.indexOf(kind);
  switch (kind) {
    case 'ce':
      return { shape: `ce [${CE.n},${CE.c}]`, params: { k }, note: 'crossEntropy forward+backward, class targets' };
    case 'linear-gelu':
    case 'linear-relu':
      return {
        shape: `${kind} [${LIN.rows},${LIN.in}]x[${LIN.out},${LIN.in}]ᵀ`,
        params: { k },
        note: `linear + ${kind.slice(7)} forward+backward (x, W, b gradients)`,
      };
    case 'embedding':
      return { shape: `embedding V=${EMB.v} E=${EMB.e} N=${EMB.n}`, params: { k }, note: 'embedding lookup, forward only' };
    case 'embedding-train':
    case 'embedding-train-small': {
      const v = kind === 'embedding-train' ? EMB.v : EMB_SMALL_V;
      return {
        shape: `embedding train V=${v} E=${EMB.e} N=${EMB.n}`,
        params: { k },
        note: 'embedding lookup forward+backward (table gradient)',
      };
    }
    default:
      return {
        shape: `attention B=${ATT.b} h=${ATT.h} T=${ATT.t} d=${ATT.d}`,
        params: { k },
        note: 'scaled dot-product attention forward+backward (q, k, v gradients)',
      };
  }
}

/** Integer class targets in [0, classes). */
function targets(core, n, classes) {
  return core.randint(0, classes, [n]);
}

/**
 * One repetition of a case on Elman, fused (the op with its fused kernel) or composed from unfused ops.
 * @param {typeof import('@elman/core')} core
 * @param {number} k
 * @param {boolean} fused
 */
function elmanCase(core, k, fused) {
  const kind = KINDS[k];
  const grad = { requiresGrad: true };
  const clear = (...ts) => {
    for (const t of ts) t.grad = null;
  };
  if (kind === 'ce') {
    const logits = core.randn([CE.n, CE.c], grad); // [N, C]
    const t = targets(core, CE.n, CE.c); // [N]
    return () => {
      const loss = fused ? core.crossEntropy(logits, t) : core.nllLoss(core.logSoftmax(logits, 1), t);
      loss.backward();
      clear(logits);
    };
  }
  if (kind === 'linear-gelu' || kind === 'linear-relu') {
    const act = kind === 'linear-gelu' ? 'gelu' : 'relu';
    const x = core.randn([LIN.rows, LIN.in], grad); // [B·T, X]
    const w = core.mul(core.randn([LIN.out, LIN.in]), 1 / Math.sqrt(LIN.in)).requiresGrad_(); // [out, in]
    const b = core.randn([LIN.out], grad); // [out]
    return () => {
      const y = fused ? core.linear(x, w, b, { activation: act }) : core[act](core.linear(x, w, b)); // [B·T, out]
      y.sum().backward();
      clear(x, w, b);
    };
  }
  if (kind === 'embedding') {
    const table = core.randn([EMB.v, EMB.e]); // [V, E]
    const ids = targets(core, EMB.n, EMB.v); // [N]
    return () => void core.embedding(ids, table); // [N, E]
  }
  if (kind === 'embedding-train' || kind === 'embedding-train-small') {
    const v = kind === 'embedding-train' ? EMB.v : EMB_SMALL_V;
    const table = core.randn([v, EMB.e], grad); // [V, E]
    const ids = targets(core, EMB.n, v); // [N]
    return () => {
      core.embedding(ids, table).sum().backward(); // [N, E]
      clear(table);
    };
  }
  const q = core.randn([ATT.b, ATT.h, ATT.t, ATT.d], grad); // [B, h, T, d]
  const key = core.randn([ATT.b, ATT.h, ATT.t, ATT.d], grad);
  const v = core.randn([ATT.b, ATT.h, ATT.t, ATT.d], grad);
  const scale = 1 / Math.sqrt(ATT.d);
  return () => {
    const context = fused
      ? core.fusedAttention(q, key, v).context
      : core.matmul(core.softmax(core.matmul(core.mul(q, scale), core.transpose(key)), -1), v); // [B, h, T, d]
    context.sum().backward();
    clear(q, key, v);
  };
}

/** The same work in tfjs. */
function tfjsCase(tf, { k }) {
  const kind = KINDS[k];
  if (kind === 'ce') {
    const logits = tf.variable(tf.randomNormal([CE.n, CE.c])); // [N, C]
    const labels = tf.oneHot(tf.randomUniform([CE.n], 0, CE.c, 'int32'), CE.c); // [N, C], built once
    return () => tf.tidy(() => void tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, logits), [logits]));
  }
  if (kind === 'linear-gelu' || kind === 'linear-relu') {
    const x = tf.randomNormal([LIN.rows, LIN.in]);
    const w = tf.mul(tf.randomNormal([LIN.out, LIN.in]), 1 / Math.sqrt(LIN.in));
    const b = tf.randomNormal([LIN.out]);
    const forward =
      kind === 'linear-relu'
        ? (xx, ww, bb) => tf.fused.matMul({ a: xx, b: ww, transposeB: true, bias: bb, activation: 'relu' })
        : (xx, ww, bb) => {
            const z = tf.add(tf.matMul(xx, ww, false, true), bb);
            return tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))));
          };
    const grads = tf.grads((xx, ww, bb) => tf.sum(forward(xx, ww, bb)));
    return () => tf.tidy(() => void grads([x, w, b]));
  }
  if (kind === 'embedding') {
    const table = tf.randomNormal([EMB.v, EMB.e]); // [V, E]
    const ids = tf.randomUniform([EMB.n], 0, EMB.v, 'int32'); // [N]
    return () => tf.tidy(() => void tf.gather(table, ids));
  }
  const shape = [ATT.b, ATT.h, ATT.t, ATT.d];
  const [q, key, v] = [tf.randomNormal(shape), tf.randomNormal(shape), tf.randomNormal(shape)];
  const scale = 1 / Math.sqrt(ATT.d);
  const grads = tf.grads((qq, kk, vv) => tf.sum(tf.matMul(tf.softmax(tf.mul(tf.matMul(qq, kk, false, true), scale)), vv)));
  return () => tf.tidy(() => void grads([q, key, v]));
}

/**
 * The js reference backend takes seconds per repetition here (up to ~3 s for the linear cases), so it runs 1 warm-up
 * and 2 timed repetitions instead of the harness default, keeping the suites within minutes.
 */
function measureOptions(_params, subject) {
  return subject === 'elman:js' ? { warmupMs: 0, minWarmupReps: 1, minTimeMs: 0, minReps: 2 } : {};
}

/** @type {import('./types.mjs').Suite} */
export const kernels = {
  name: 'kernels',
  unit: 'ms',
  higherIsBetter: false,
  cases: ['ce', 'linear-gelu', 'linear-relu', 'embedding', 'attention'].map(kernelCase),
  value: (_params, medianMs) => medianMs,
  elman: (core, { k }) => elmanCase(core, k, true),
  tfjs: tfjsCase,
  // tfjs-cpu takes ~10–30 s per repetition of cross-entropy and the linear cases here, minutes in all for figures
  // far from the tfjs-wasm ones; the peer is tfjs-wasm.
  peers: ['tfjs-wasm'],
  measureOptions,
};

/** @type {import('./types.mjs').Suite} */
export const kernelsElman = {
  name: 'kernels-elman',
  unit: 'ms',
  higherIsBetter: false,
  cases: [
    ...['ce', 'linear-gelu', 'linear-relu', 'attention'].map((kind) => {
      const c = kernelCase(kind);
      return { ...c, shape: `${c.shape} unfused`, note: `${c.note}; unfused ops (compare with the kernels suite)` };
    }),
    kernelCase('embedding-train'),
    kernelCase('embedding-train-small'),
  ],
  value: (_params, medianMs) => medianMs,
  // The embedding cases have one path (no unfused variant): `fused` only selects the composed ops of the others.
  elman: (core, { k }) => elmanCase(core, k, false),
  measureOptions,
};
