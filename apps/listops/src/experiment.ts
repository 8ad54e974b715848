import { Adam, CosineAnnealingLR, type Module, type Tensor, argmax, crossEntropy, noGrad } from '@elman/core';
import { Trainer, accuracy, bucketByLength, padSequences } from '@elman/trainer';
import { BiLstmClassifier } from './bilstm-classifier.js';
import { type ListOpsSplit, majorityClass, makeSplit } from './data.js';
import { TransformerClassifier } from './transformer-classifier.js';
import { TreeClassifier } from './tree-classifier.js';

/** The three models compared. */
export type ModelKind = 'TreeLSTM' | 'BiLSTM' | 'Transformer';

/** Every model, in the order of the table and the legend. */
export const MODEL_KINDS: readonly ModelKind[] = ['TreeLSTM', 'BiLSTM', 'Transformer'];

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Training examples. Default 20 000. */
  trainSize?: number;
  /** Held-out examples. Default 2 000. */
  testSize?: number;
  /** Maximum nesting depth of the generated expressions. Default 6. */
  maxDepth?: number;
  /** Training epochs per model. Default 10. */
  epochs?: number;
  /** Hidden units of the recurrent models and width of the transformer. Default 64. */
  hiddenSize?: number;
  /** Examples per batch. Default 64. */
  batchSize?: number;
  /** Adam learning rate (cosine-decayed to 1/10 over the run). Default 1e-2. */
  lr?: number;
  /** Models to train. Default all of {@link MODEL_KINDS}. */
  models?: readonly ModelKind[];
  /** Seed of the data and the weights. Default 1. */
  seed?: number;
  /** Called with a one-line progress message (for printing). */
  onProgress?: (line: string) => void;
}

/** What one model achieved. */
export interface ModelReport {
  /** Which model. */
  kind: ModelKind;
  /** Trainable parameters. */
  parameters: number;
  /** Epochs trained. */
  epochs: number;
  /** Mean training loss of every epoch. */
  epochLoss: number[];
  /** Held-out accuracy after every epoch. */
  epochAccuracy: number[];
  /** Final held-out accuracy. */
  accuracy: number;
  /** Final held-out accuracy by depth (index d = depth d; NaN where the test set has no example of that depth). */
  accuracyByDepth: number[];
  /** Training time in seconds. */
  seconds: number;
}

/** What {@link runExperiment} returns. */
export interface ExperimentResult {
  /** Training examples. */
  trainSize: number;
  /** Held-out examples. */
  testSize: number;
  /** Maximum depth. */
  maxDepth: number;
  /** Epochs per model (the most of any model after a merge of runs). */
  epochs: number;
  /** Accuracy of always answering the training set's most frequent value. */
  majority: number;
  /** Held-out examples of each depth (index = depth). */
  depthCounts: number[];
  /** One report per model, in the order asked. */
  models: ModelReport[];
}

function buildModel(kind: ModelKind, hidden: number, maxLength: number, seed: number): Module {
  switch (kind) {
    case 'TreeLSTM':
      return new TreeClassifier(hidden, seed);
    case 'BiLSTM':
      return new BiLstmClassifier(32, hidden, seed);
    case 'Transformer':
      return new TransformerClassifier({ dModel: hidden, nhead: 4, numLayers: 2, maxLength, seed });
  }
}

/** Predicted value of every example of `split` (in order), in batches of `batchSize`. */
export function predict(model: Module, split: ListOpsSplit, batchSize: number): Int32Array {
  const out = new Int32Array(split.data.length);
  model.eval();
  noGrad(() => {
    for (let s = 0; s < split.data.length; s += batchSize) {
      const rows = split.data.slice(s, s + batchSize);
      const { padded, lengths } = padSequences(rows.map((r) => r.input)); // [b, t]
      const logits = (model.forward as (x: Tensor, o: { lengths: Int32Array }) => Tensor)(padded, { lengths }); // [b, 10]
      out.set(argmax(logits, 1).data, s);
    }
  });
  model.train();
  return out;
}

/** Overall and per-depth accuracy of `predicted` against the split's labels. */
export function scoreByDepth(predicted: Int32Array, split: ListOpsSplit, maxDepth: number): { overall: number; byDepth: number[] } {
  const hits = new Array<number>(maxDepth + 1).fill(0);
  const seen = new Array<number>(maxDepth + 1).fill(0);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = split.depths[i]!;
    seen[d]!++;
    if (predicted[i] === split.labels[i]) {
      hits[d]!++;
      correct++;
    }
  }
  return { overall: correct / Math.max(1, predicted.length), byDepth: hits.map((h, d) => (seen[d]! > 0 ? h / seen[d]! : Number.NaN)) };
}

/**
 * ListOps (Nangia & Bowman 2018): nested MAX / MIN / MED / SM over digits, 2–5 arguments, depth ≤ `maxDepth`; the
 * label is the expression's value. Trains a ChildSumTreeLSTM on the gold trees, a flat BiLSTM and a transformer
 * encoder on the token sequence with the same data, optimizer and schedule, and scores them on held-out expressions
 * overall and by depth, against the majority-class baseline.
 */
export async function runExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const trainSize = options.trainSize ?? 20_000;
  const testSize = options.testSize ?? 2_000;
  const maxDepth = options.maxDepth ?? 6;
  const epochs = options.epochs ?? 10;
  const hidden = options.hiddenSize ?? 64;
  const batchSize = options.batchSize ?? 64;
  const lr = options.lr ?? 1e-2;
  const seed = options.seed ?? 1;
  const say = options.onProgress ?? (() => {});
  const train = makeSplit(trainSize, maxDepth, seed);
  const test = makeSplit(testSize, maxDepth, seed + 1000);
  const { label, frequency } = majorityClass(train.labels);
  const majority = test.labels.filter((l) => l === label).length / Math.max(1, testSize);
  say(`data: ${trainSize} training and ${testSize} held-out expressions, depth ≤ ${maxDepth}; majority value ${label} (${(100 * frequency).toFixed(1)} % of training)`);
  const maxLength = Math.max(...[...train.data, ...test.data].map((e) => e.input.shape[0] ?? 0));
  const depthCounts = new Array<number>(maxDepth + 1).fill(0);
  for (const d of test.depths) depthCounts[d]!++;

  const models: ModelReport[] = [];
  for (const kind of options.models ?? MODEL_KINDS) {
    const model = buildModel(kind, hidden, maxLength, seed);
    const optimizer = new Adam(model.parameters(), { lr });
    const data = bucketByLength(train.data, { batchSize, seed });
    const trainer = new Trainer({
      model,
      optimizer,
      loss: (logits, target) => crossEntropy(logits, target),
      metrics: { acc: accuracy() },
      scheduler: new CosineAnnealingLR(optimizer, { tMax: epochs * (data.numBatches ?? 1), etaMin: lr / 10 }),
      schedulerInterval: 'step',
      clipGradNorm: 5,
      seed,
      progress: false,
    });
    const epochLoss: number[] = [];
    const epochAccuracy: number[] = [];
    const started = performance.now();
    let last = { overall: 0, byDepth: [] as number[] };
    await trainer.fit(data, {
      epochs,
      callbacks: [
        {
          onEpochEnd: ({ epoch, logs }) => {
            last = scoreByDepth(predict(model, test, 256), test, maxDepth);
            epochLoss.push(logs.loss ?? Number.NaN);
            epochAccuracy.push(last.overall);
            const seconds = (performance.now() - started) / 1000;
            say(
              `${kind}: epoch ${epoch + 1}/${epochs} loss ${(logs.loss ?? Number.NaN).toFixed(4)} train acc ${(logs.acc ?? Number.NaN).toFixed(3)} ` +
                `held-out acc ${last.overall.toFixed(3)} (${seconds.toFixed(1)} s, ${(((epoch + 1) * trainSize) / seconds).toFixed(0)} expr/s)`,
            );
          },
        },
      ],
    });
    models.push({
      kind,
      parameters: model.parameters().reduce((n, p) => n + p.size, 0),
      epochs,
      epochLoss,
      epochAccuracy,
      accuracy: last.overall,
      accuracyByDepth: last.byDepth,
      seconds: (performance.now() - started) / 1000,
    });
  }
  return { trainSize, testSize, maxDepth, epochs, majority, depthCounts, models };
}
