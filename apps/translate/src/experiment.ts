import { Adam, LambdaLR, crossEntropy, noGrad } from '@elman/core';
import { CharTable } from '@elman/seq2seq';
import { type Callback, Trainer } from '@elman/trainer';
import { type DataSizes, type Pair, type TaskData, type TaskName, encodePairs, loadTask, trainingBatches, unpackPairs } from './data.js';
import { errorRates } from './edit-distance.js';
import { type Decoded, type ModelKind, type ModelSizes, type Translator, buildTranslator } from './models.js';

/** Everything one training run needs. */
export interface RunConfig {
  /** The task. */
  task: TaskName;
  /** The model family. */
  model: ModelKind;
  /** Model sizes. */
  sizes: ModelSizes;
  /** Corpus sizes and seed. */
  data: DataSizes;
  /** Examples per batch. */
  batchSize: number;
  /** Adam learning rate (after the warm-up). */
  lr: number;
  /** Linear learning-rate warm-up in updates (transformers need one; Vaswani et al. 2017). */
  warmup: number;
  /** Most epochs. */
  epochs: number;
  /** Training pairs per epoch (default: the whole training set). */
  epochSize?: number;
  /** Stop after the epoch during which this many minutes have passed (default: no limit). */
  minutes?: number;
  /** Seed of the weights. */
  seed: number;
}

/** One held-out example as decoded after training. */
export interface Example {
  /** Source text. */
  source: string;
  /** Predicted target symbols. */
  predicted: string[];
  /** First reference. */
  reference: string[];
  /** Attention `[Ty, Tx]` of the prediction (rows: predicted symbols then END). */
  attention: number[][];
  /** Transformer head plotted, or null. */
  head: number | null;
}

/** What a run measured. */
export interface RunResult {
  /** The configuration. */
  config: RunConfig;
  /** The model's description. */
  label: string;
  /** Trainable parameters. */
  params: number;
  /** Training / held-out pairs. */
  trainPairs: number;
  /** Held-out pairs scored. */
  testPairs: number;
  /** Epochs run. */
  epochs: number;
  /** Optimizer updates. */
  steps: number;
  /** Training time in seconds (evaluation excluded). */
  seconds: number;
  /** Training examples per second. */
  examplesPerSecond: number;
  /** Mean training loss per epoch. */
  loss: number[];
  /** Held-out loss per epoch (teacher forced). */
  valLoss: number[];
  /** Exact match of the untrained model on the first 200 held-out pairs (the baseline). */
  initialExactMatch: number;
  /** Symbol error rate of the untrained model on the same probe. */
  initialPer: number;
  /** Held-out exact match (1 − WER). */
  exactMatch: number;
  /** Word error rate (matching none of a word's references). */
  wer: number;
  /** Symbol error rate: phoneme error rate (g2p) or character error rate (dates). */
  per: number;
  /** Dates only: share of the last two year digits whose argmax attention lies on the source year; else null. */
  yearAlignment: number | null;
  /** The first held-out examples. */
  examples: Example[];
}

/** Greedy decodes of `pairs`, in batches of 256. */
function decodeAll(t: Translator, data: TaskData, pairs: readonly Pair[], maxLength: number): Decoded[] {
  const out: Decoded[] = [];
  t.module.eval();
  for (let i = 0; i < pairs.length; i += 256) {
    const chunk = pairs.slice(i, i + 256);
    out.push(...t.decode(data.src.encodeBatch(chunk.map((p) => p.source)), maxLength));
  }
  return out;
}

/** Share of the year's last two digits (output positions 2, 3) whose argmax attention falls on the source year. */
export function yearAlignment(pairs: readonly Pair[], decoded: readonly Decoded[]): number {
  let hits = 0;
  let total = 0;
  decoded.forEach((d, i) => {
    const span = pairs[i]!.yearSpan;
    if (span === undefined) return;
    for (const t of [2, 3]) {
      const row = d.attention[t];
      if (row === undefined) continue;
      const at = row.indexOf(Math.max(...row));
      total++;
      if (at >= span[0] && at < span[1]) hits++;
    }
  });
  return total === 0 ? 0 : hits / total;
}

/** Trains one model on one task with `Trainer.fit` (Adam, warm-up, gradient clipping) and scores it on held-out data. */
export async function runExperiment(config: RunConfig, log: (line: string) => void): Promise<RunResult> {
  const data = loadTask(config.task, config.data);
  const t = buildTranslator(config.model, data.src.size, data.tgt.size, config.sizes, config.seed);
  const params = t.module.parameters().reduce((n, p) => n + p.size, 0);
  const maxLength = config.task === 'dates' ? 12 : Math.max(...data.test.flatMap((p) => p.references.map((r) => r.length))) + 5;
  const score = (pairs: readonly Pair[], decoded: readonly Decoded[]) =>
    errorRates(
      decoded.map((d) => data.tgt.decode(d.tokens)),
      pairs.map((p) => p.references),
    );
  const probe = data.test.slice(0, 200);
  const initial = score(probe, decodeAll(t, data, probe, maxLength));
  const initialExactMatch = 1 - initial.wer;
  log(`${config.task} / ${t.label}: ${params} parameters, ${data.train.length} training pairs, ${data.test.length} held out; untrained exact match ${initialExactMatch.toFixed(3)}`);

  const optimizer = new Adam(t.module.parameters(), { lr: config.lr });
  const warmup = config.warmup;
  const scheduler = warmup > 0 ? new LambdaLR(optimizer, { lrLambda: (step) => Math.min(1, (step + 1) / warmup) }) : undefined;
  const trainer = new Trainer({
    model: t.module,
    optimizer,
    forward: (_model, input) => {
      const { src, tgt } = unpackPairs(input);
      return t.logits(src, tgt); // [B, T, V]
    },
    // Token-level mean over non-PAD targets ([B, T, V] against [B, T]; both trimmed to the batch's longest target).
    loss: (logits, target) => crossEntropy(logits, target, { axis: -1, ignoreIndex: CharTable.PAD }),
    scheduler,
    schedulerInterval: 'step',
    clipGradNorm: 1,
    seed: config.seed,
    progress: false,
  });
  const batches = trainingBatches(data, config.batchSize, config.data.seed, config.epochSize);
  const valPairs = data.test.slice(0, 500);
  const validation = { numBatches: Math.ceil(valPairs.length / 250), *batches() { for (let i = 0; i < valPairs.length; i += 250) yield encodePairs(data, valPairs.slice(i, i + 250)); } };
  const started = performance.now();
  const loss: number[] = [];
  const valLoss: number[] = [];
  let steps = 0;
  let epochStart = started;
  const progress: Callback = {
    onEpochBegin: () => {
      epochStart = performance.now();
    },
    onBatchEnd: (info) => {
      steps = info.step;
    },
    onEpochEnd: (info) => {
      const s = (performance.now() - epochStart) / 1000;
      loss.push(info.logs.loss ?? Number.NaN);
      valLoss.push(info.logs.val_loss ?? Number.NaN);
      const rate = ((batches.numBatches ?? 0) * config.batchSize) / s;
      log(`  epoch ${info.epoch + 1}/${config.epochs}  loss ${(info.logs.loss ?? Number.NaN).toFixed(4)}  val_loss ${(info.logs.val_loss ?? Number.NaN).toFixed(4)}  ${rate.toFixed(0)} ex/s  ${s.toFixed(1)} s`);
      if (config.minutes !== undefined && performance.now() - started > config.minutes * 60_000) {
        log(`  time budget of ${config.minutes} min reached`);
        info.trainer.stop();
      }
    },
  };
  await trainer.fit(batches, { epochs: config.epochs, validation, callbacks: [progress] });
  const seconds = (performance.now() - started) / 1000;

  const decoded = noGrad(() => decodeAll(t, data, data.test, maxLength));
  const rates = score(data.test, decoded);
  const examples = decoded.slice(0, 4).map((d, i) => ({
    source: data.test[i]!.source,
    predicted: data.tgt.decode(d.tokens),
    reference: data.test[i]!.references[0]!,
    attention: d.attention,
    head: d.head,
  }));
  return {
    config,
    label: t.label,
    params,
    trainPairs: data.train.length,
    testPairs: data.test.length,
    epochs: loss.length,
    steps,
    seconds,
    examplesPerSecond: (steps * config.batchSize) / seconds,
    loss,
    valLoss,
    initialExactMatch,
    initialPer: initial.per,
    exactMatch: 1 - rates.wer,
    wer: rates.wer,
    per: rates.per,
    yearAlignment: config.task === 'dates' ? yearAlignment(data.test, decoded) : null,
    examples,
  };
}
