/**
 * Deep and bidirectional recurrent networks through the torch-equivalent factories of @elman/wrappers
 * (`lstm({inputSize, hiddenSize, numLayers: 2, bidirectional: true})`, = `torch.nn.LSTM(num_layers=2,
 * bidirectional=True, batch_first=True)`), end to end through the public API: a training step (forward, full BPTT,
 * Adam) with a per-step Linear(2H, 1) read-out and an MSE loss on per-step targets, and inference (one forward pass).
 * The peer is tfjs-layers with the same network: two stacked `tf.layers.bidirectional({layer: tf.layers.lstm(...
 * returnSequences: true), mergeMode: 'concat'})` and `dense(1)` on every step, Adam, MSE, one `optimizer.minimize`.
 *
 * Shapes are the `rnn` suite's: S1 = (B 32, T 32, X 32, H 64) and S2 = (B 64, T 64, X 128, H 256). A 2-layer
 * bidirectional step is four single-direction LSTMs (the second layer reads 2H features), ≈ 5× the `rnn` suite's
 * single-layer figures, so S2 and the tfjs peers run a fixed, short count of repetitions.
 *
 * One more case measures what the factory itself costs: a 1-layer unidirectional `lstm()` trained exactly like the
 * `rnn` suite's S1 LSTM (MSE on a Linear(H, 1) head, here of `h_n`), so its figure sits next to that bare
 * `@elman/cells` LSTM line (the factory should add no more than a few per cent).
 */

const S1 = [32, 32, 32, 64];
const S2 = [64, 64, 128, 256];
/** Layers of the bidirectional cases. */
const LAYERS = 2;

/**
 * Matrix-product FLOPs of a case (behind the effective GFLOP/s): per direction of layer l with input size X_l
 * (X, then 2H), forward 2·B·T·(X_l + H)·4H; a training step adds the weight gradients (the same again), ∂L/∂h_{t−1}
 * (2·B·T·H·4H) and, above the first layer, ∂L/∂x (2·B·T·X_l·4H). Gate nonlinearities, the head and Adam are not counted.
 */
function flops({ train, b, t, x, h, layers, dirs }) {
  let total = 0;
  for (let l = 0; l < layers; l++) {
    const xl = l === 0 ? x : dirs * h;
    const forward = 2 * b * t * (xl + h) * 4 * h;
    const backward = forward + 2 * b * t * h * 4 * h + (l > 0 ? 2 * b * t * xl * 4 * h : 0);
    total += dirs * (train ? forward + backward : forward);
  }
  return total;
}

function wrapperCase(train, [b, t, x, h], size) {
  const what = train ? 'training step: forward + BPTT + Adam, per-step Linear(2H, 1) + MSE' : 'inference: one forward pass';
  return {
    shape: `bi-lstm L=${LAYERS} ${train ? 'train' : 'infer'} ${size} B=${b} T=${t} X=${x} H=${h}`,
    params: { train: train ? 1 : 0, b, t, x, h, s2: size === 'S2' ? 1 : 0, layers: LAYERS, dirs: 2 },
    note: `2-layer bidirectional LSTM (torch-equivalent lstm() factory; tfjs: stacked tf.layers.bidirectional(lstm)) ${what}`,
  };
}

/** The 1-layer unidirectional factory, trained like the `rnn` suite's S1 LSTM (head on h_n): the factory's overhead. */
function singleLayerCase([b, t, x, h], size) {
  return {
    shape: `lstm L=1 train ${size} B=${b} T=${t} X=${x} H=${h}`,
    params: { train: 1, b, t, x, h, s2: 0, layers: 1, dirs: 1 },
    note: '1-layer lstm() factory training step, MSE on a Linear(H, 1) head of h_n (compare the rnn suite\'s S1 LSTM, a bare @elman/cells LSTM; tfjs: the same tf.layers.lstm + dense(1))',
  };
}

/** @type {import('./types.mjs').Suite} */
export const wrappers = {
  name: 'wrappers',
  unit: 'ms',
  higherIsBetter: false,
  cases: [
    wrapperCase(true, S1, 'S1'),
    wrapperCase(false, S1, 'S1'),
    wrapperCase(true, S2, 'S2'),
    wrapperCase(false, S2, 'S2'),
    singleLayerCase(S1, 'S1'),
  ],
  // tfjs-cpu's S2 training step alone takes about a minute; on a busy machine several.
  timeoutMs: 900_000,
  value: (_p, medianMs) => medianMs,
  extras: (p, medianMs) => ({ sequencesPerSec: (p.b * 1000) / medianMs, gflops: flops(p) / (medianMs * 1e6) }),
  measureOptions: (p, subject) => {
    // An S2 training step takes ~1–2 s on Elman wasm and tens of seconds on tfjs: 1 warm-up + 2 timed repetitions,
    // and one cold repetition on tfjs-cpu (its first-call overhead does not show at that scale).
    if (!p.s2) return {};
    if (subject === 'tfjs-cpu') return { warmupMs: 0, minWarmupReps: 0, minTimeMs: 0, minReps: 1 };
    return { warmupMs: 0, minWarmupReps: 1, minTimeMs: 0, minReps: 2 };
  },

  async elman(core, p) {
    const { lstm } = await import('@elman/wrappers');
    const gen = new core.Generator(0);
    const net = lstm({ inputSize: p.x, hiddenSize: p.h, numLayers: p.layers, bidirectional: p.dirs === 2, generator: gen });
    const x = core.randn([p.b, p.t, p.x], { generator: gen }); // [B, T, X]
    if (p.dirs === 1) {
      const head = new core.Linear(p.h, 1, { generator: gen });
      const y = core.randn([p.b, 1], { generator: gen }); // [B, 1]
      const opt = new core.Adam([...net.parameters(), ...head.parameters()], { lr: 1e-3 });
      return () => {
        opt.zeroGrad();
        const hN = core.select(net.forward(x).state.h, 0, p.layers - 1); // [B, H]: the last layer's h_n
        core.mseLoss(head.forward(hN), y).backward();
        opt.step();
      };
    }
    if (!p.train) {
      return () => {
        core.noGrad(() => net.forward(x)); // output [B, T, 2H]
      };
    }
    const head = new core.Linear(2 * p.h, 1, { generator: gen });
    const y = core.randn([p.b, p.t, 1], { generator: gen }); // [B, T, 1]
    const opt = new core.Adam([...net.parameters(), ...head.parameters()], { lr: 1e-3 });
    return () => {
      opt.zeroGrad();
      const { output } = net.forward(x); // [B, T, 2H]
      core.mseLoss(head.forward(output), y).backward(); // [B, T, 1]
      opt.step();
    };
  },

  tfjs(tf, p) {
    if (p.dirs === 1) return singleLayerTfjs(tf, p);
    // Logistic gates as PyTorch (tfjs defaults to hard sigmoid); glorot recurrent init, because tfjs's default
    // orthogonal init takes minutes on cpu at H = 256 (not timed, but the harness limits a measurement's time).
    const cell = () =>
      tf.layers.lstm({ units: p.h, returnSequences: true, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' });
    const layers = [
      tf.layers.bidirectional({ layer: cell(), mergeMode: 'concat', inputShape: [p.t, p.x] }),
      tf.layers.bidirectional({ layer: cell(), mergeMode: 'concat' }),
    ];
    const x = tf.randomNormal([p.b, p.t, p.x]); // [B, T, X]
    if (!p.train) {
      const model = tf.sequential({ layers });
      return () => {
        tf.tidy(() => {
          model.predict(x); // [B, T, 2H]
        });
      };
    }
    const model = tf.sequential({ layers: [...layers, tf.layers.dense({ units: 1 })] }); // dense on every step
    const y = tf.randomNormal([p.b, p.t, 1]); // [B, T, 1]
    const opt = tf.train.adam(1e-3);
    return () => {
      tf.tidy(() => {
        opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true })));
      });
    };
  },
};

/** tfjs peer of {@link singleLayerCase}: the `rnn` suite's model, `tf.layers.lstm` (last step only) + `dense(1)`. */
function singleLayerTfjs(tf, p) {
  const recurrent = tf.layers.lstm({
    units: p.h,
    inputShape: [p.t, p.x],
    returnSequences: false,
    recurrentActivation: 'sigmoid',
    recurrentInitializer: 'glorotUniform',
  });
  const model = tf.sequential({ layers: [recurrent, tf.layers.dense({ units: 1 })] });
  const x = tf.randomNormal([p.b, p.t, p.x]); // [B, T, X]
  const y = tf.randomNormal([p.b, 1]); // [B, 1]
  const opt = tf.train.adam(1e-3);
  return () => {
    tf.tidy(() => {
      opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true })));
    });
  };
}
