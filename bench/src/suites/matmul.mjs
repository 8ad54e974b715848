/**
 * Dense matmul C[M, N] = A[M, K] · B[K, N] through the public op (`matmul(a, b)`), the path users take.
 * Square sizes show the GEMM kernel's scaling; the LSTM-step sizes are one fused gate product
 * [B, X+H] · [X+H, 4H] of a training step.
 */

/** @param {number} m @param {number} k @param {number} n @param {string} [note] */
function gemmCase(m, k, n, note) {
  return { shape: `[${m},${k}]x[${k},${n}]`, params: { m, k, n }, ...(note ? { note } : {}) };
}

/** @type {import('./types.mjs').Suite} */
export const matmul = {
  name: 'matmul',
  unit: 'GFLOP/s',
  higherIsBetter: true,
  cases: [
    gemmCase(128, 128, 128),
    gemmCase(512, 512, 512),
    gemmCase(1024, 1024, 1024),
    gemmCase(32, 384, 512, 'LSTM step: B=32, X+H=384, 4H=512'),
    gemmCase(64, 512, 1024, 'LSTM step: B=64, X+H=512, 4H=1024'),
  ],
  // 2·M·N·K: one multiply and one add per inner-product term.
  value: ({ m, k, n }, medianMs) => (2 * m * k * n) / (medianMs * 1e6),

  elman(core, { m, k, n }) {
    const a = core.randn([m, k]); // [M, K]
    const b = core.randn([k, n]); // [K, N]
    return () => {
      core.matmul(a, b); // [M, N]
    };
  },

  tfjs(tf, { m, k, n }) {
    const a = tf.randomNormal([m, k]); // [M, K]
    const b = tf.randomNormal([k, n]); // [K, N]
    return () => {
      // A void tidy disposes the product, so repetitions do not pile up tensors in the engine.
      tf.tidy(() => {
        tf.matMul(a, b); // [M, N]
      });
    };
  },
};

/**
 * The same products on the wasm backend with GEMM threads (`createWasmBackend({ threads })`, opt-in), one and two
 * threads side by side, against tfjs-wasm in the same run (tfjs-wasm runs one thread under Node: its threaded build
 * needs browser Web Workers).
 */
export const matmulThreads = {
  name: 'matmul-threads',
  unit: 'GFLOP/s',
  higherIsBetter: true,
  backends: ['wasm'],
  peers: ['tfjs-wasm'],
  cases: [512, 1024].flatMap((s) => [1, 2].map((threads) => ({ ...gemmCase(s, s, s, `${threads} thread${threads > 1 ? 's' : ''}`), params: { m: s, k: s, n: s, threads } }))),
  value: matmul.value,
  threads: ({ threads }) => threads,

  async elman(core, params) {
    // The child process set up the default wasm backend; replace it with one that has the case's threads, as a
    // user would (setWasmThreads before ready() does the same for the default backend).
    core.registerBackend('wasm', () => core.createWasmBackend({ threads: params.threads }), 10);
    await core.setBackend('wasm');
    const threads = core.getBackend().threads;
    if (threads !== params.threads) throw new Error(`matmul-threads: asked for ${params.threads} threads, the backend has ${threads}`);
    return matmul.elman(core, params);
  },

  tfjs: matmul.tfjs,
};
