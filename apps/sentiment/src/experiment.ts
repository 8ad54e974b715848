import { Adam, type Tensor, crossEntropy, manualSeed, noGrad, tensor } from '@elman/core';
import { epochLogger } from '@elman/app-kit';
import { WordTokenizer, Vocabulary } from '@elman/text';
import { type Example, Trainer, accuracy, bucketByLength, padSequences } from '@elman/trainer';
import { type LabelledSentence, SOURCES, loadSentences, stratifiedSplit } from './data.js';
import { BiLstmClassifier } from './model.js';

/** Class names, by label. */
export const CLASSES = ['negative', 'positive'] as const;

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Passes over the training sentences. */
  epochs: number;
  /** Hidden units per direction. */
  hiddenSize: number;
  /** Embedding width. */
  embeddingDim: number;
  /** Words seen fewer times than this in the training split become `<unk>`. */
  minCount: number;
  /** Held-out fraction (stratified by source and label). */
  testFraction: number;
  /** Seed of the split, the weights, dropout and shuffling. */
  seed: number;
  /** Receives one progress line per epoch. */
  onProgress?: (line: string) => void;
}

/** What {@link runExperiment} measured. */
export interface ExperimentResult {
  /** Sentences in the training and held-out splits. */
  trainSize: number;
  /** Held-out sentences. */
  testSize: number;
  /** Vocabulary size (specials included). */
  vocabSize: number;
  /** Training loss per epoch (mean cross-entropy over the epoch's batches). */
  trainLoss: number[];
  /** Held-out loss per epoch. */
  testLoss: number[];
  /** Held-out accuracy per epoch. */
  testAccuracy: number[];
  /** Held-out loss of the untrained model (epoch 0). */
  initialTestLoss: number;
  /** Final held-out accuracy. */
  accuracy: number;
  /** Accuracy of always predicting the training split's most frequent class. */
  majorityAccuracy: number;
  /** Held-out accuracy per source (imdb, amazon, yelp). */
  accuracyBySource: Record<string, number>;
  /** `confusion[true][predicted]` counts on the held-out split. */
  confusion: number[][];
  /** Wall-clock seconds of training. */
  seconds: number;
}

/** Token ids of a sentence as a `[t]` int32 tensor (an empty sentence becomes one `<unk>`). */
function encode(vocab: Vocabulary, tokenizer: WordTokenizer, text: string): Tensor {
  const ids = vocab.encode(tokenizer.tokenize(text));
  return tensor(Int32Array.from(ids.length > 0 ? ids : [vocab.unkId ?? 1]), [Math.max(1, ids.length)]);
}

/** Predicted class of every example, in order, from batches of 128 padded sentences. */
function predictAll(model: BiLstmClassifier, examples: readonly Example[]): number[] {
  const predicted: number[] = [];
  model.eval();
  noGrad(() => {
    for (let start = 0; start < examples.length; start += 128) {
      const chunk = examples.slice(start, start + 128);
      const { padded, lengths } = padSequences(chunk.map((e) => e.input)); // [B, T]
      const logits = model.forward(padded, { lengths }); // [B, C]
      const c = logits.shape[1]!;
      const scores = logits.data;
      for (let b = 0; b < chunk.length; b++) {
        let best = 0;
        for (let k = 1; k < c; k++) if (scores[b * c + k]! > scores[b * c + best]!) best = k;
        predicted.push(best);
      }
    }
  });
  return predicted;
}

/**
 * Trains the BiLSTM sentiment classifier on a stratified split of the 3,000 labelled sentences and measures it on
 * the held-out part: accuracy against the majority-class baseline, per source, and the confusion matrix.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const log = options.onProgress ?? (() => {});
  manualSeed(options.seed);
  const sentences = loadSentences();
  // Stratify by source and label so each site and class keeps its share in the held-out set.
  const split = stratifiedSplit(sentences, (s) => `${s.source}/${s.label}`, options.testFraction, options.seed);
  const tokenizer = new WordTokenizer({ lowercase: true });
  // The vocabulary comes from the training split only: held-out words it has not seen are <unk>.
  const vocab = Vocabulary.build(
    split.train.map((s) => tokenizer.tokenize(s.text)),
    { minCount: options.minCount },
  );
  const toExample = (s: LabelledSentence): Example => ({
    input: encode(vocab, tokenizer, s.text),
    target: tensor(Int32Array.of(s.label), []),
  });
  const trainSet = bucketByLength(split.train.map(toExample), { batchSize: 32, seed: options.seed });
  const testExamples = split.test.map(toExample);
  const testSet = bucketByLength(testExamples, { batchSize: 128, shuffle: false });

  const model = new BiLstmClassifier({
    vocabSize: vocab.size,
    embeddingDim: options.embeddingDim,
    hiddenSize: options.hiddenSize,
    numClasses: CLASSES.length,
    dropout: 0.3,
  });
  const trainer = new Trainer({
    model,
    optimizer: new Adam(model.parameters(), { lr: 3e-3 }),
    loss: (logits, target) => crossEntropy(logits, target),
    metrics: { accuracy: accuracy() },
    clipGradNorm: 5,
    seed: options.seed,
    progress: false,
  });
  log(`${split.train.length} training / ${split.test.length} held-out sentences, vocabulary ${vocab.size} words (minCount ${options.minCount})`);
  const initial = await trainer.evaluate(testSet);
  const started = performance.now();
  const history = await trainer.fit(trainSet, {
    epochs: options.epochs,
    validation: testSet,
    callbacks: [epochLogger(log, split.train.length)],
  });
  const seconds = (performance.now() - started) / 1000;

  const predicted = predictAll(model, testExamples);
  const confusion = CLASSES.map(() => CLASSES.map(() => 0));
  const bySource = new Map<string, { n: number; ok: number }>(SOURCES.map((source) => [source, { n: 0, ok: 0 }]));
  let hits = 0;
  split.test.forEach((s, i) => {
    const ok = predicted[i] === s.label;
    confusion[s.label]![predicted[i]!]!++;
    const tally = bySource.get(s.source)!;
    tally.n++;
    if (ok) {
      hits++;
      tally.ok++;
    }
  });
  const accuracyBySource = Object.fromEntries([...bySource].map(([source, t]) => [source, t.ok / t.n]));
  const positives = split.train.filter((s) => s.label === 1).length;
  const majority = positives * 2 >= split.train.length ? 1 : 0;
  const majorityAccuracy = split.test.filter((s) => s.label === majority).length / split.test.length;
  return {
    trainSize: split.train.length,
    testSize: split.test.length,
    vocabSize: vocab.size,
    trainLoss: history.epochs.map((e) => e.logs.loss!),
    testLoss: history.epochs.map((e) => e.logs.val_loss!),
    testAccuracy: history.epochs.map((e) => e.logs.val_accuracy!),
    initialTestLoss: initial.loss!,
    accuracy: hits / split.test.length,
    majorityAccuracy,
    accuracyBySource,
    confusion,
    seconds,
  };
}
