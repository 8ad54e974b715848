import { epochLogger } from '@elman/app-kit';
import { Adam, Generator, crossEntropy, manualSeed, noGrad, tensor } from '@elman/core';
import { type Example, Trainer, accuracy, bucketByLength, padSequences } from '@elman/trainer';
import { MostFrequentTag } from './baseline.js';
import { type TaggedSentence, loadBrown } from './brown.js';
import { SHAPES, TokenFeatures } from './features.js';
import { BiLstmTagger } from './model.js';
import { UNIVERSAL_TAGS, type UniversalTag } from './universal-tags.js';

/** Target value of padded steps: the loss and the accuracy metric skip it. */
const IGNORE = -100;

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Sentences drawn (seeded shuffle of all 57,340) for the experiment, held-out part included. */
  sentences: number;
  /** Fraction of them held out. */
  testFraction: number;
  /** Passes over the training sentences. */
  epochs: number;
  /** Hidden units per direction. */
  hiddenSize: number;
  /** Word embedding width. */
  embeddingDim: number;
  /** Words and suffixes seen fewer times than this in training become `<unk>`. */
  minCount: number;
  /** Seed of the sample, the weights, dropout and shuffling. */
  seed: number;
  /** Receives the progress lines. */
  onProgress?: (line: string) => void;
}

/** Token accuracy of one tagger on the held-out sentences. */
export interface TaggerScores {
  /** Over all held-out tokens. */
  accuracy: number;
  /** Over held-out tokens whose word never occurs in the training sentences. */
  unseenAccuracy: number;
  /** Per true tag (recall), in {@link UNIVERSAL_TAGS} order; NaN for a tag absent from the held-out set. */
  perTag: number[];
  /** `confusion[true][predicted]` token counts, {@link UNIVERSAL_TAGS} order. */
  confusion: number[][];
}

/** What {@link runExperiment} measured. */
export interface ExperimentResult {
  /** Training sentences and tokens. */
  trainSentences: number;
  /** Training tokens. */
  trainTokens: number;
  /** Held-out sentences. */
  testSentences: number;
  /** Held-out tokens. */
  testTokens: number;
  /** Held-out tokens whose word is not in the training sentences. */
  unseenTokens: number;
  /** Word vocabulary size (specials included). */
  vocabSize: number;
  /** Mean training loss per epoch. */
  trainLoss: number[];
  /** Held-out token accuracy per epoch. */
  testAccuracyByEpoch: number[];
  /** The BiLSTM tagger. */
  model: TaggerScores;
  /** The most-frequent-tag-per-word baseline. */
  baseline: TaggerScores;
  /** Held-out accuracy of tagging every token with the most frequent training tag. */
  majorityAccuracy: number;
  /** Wall-clock seconds of training. */
  seconds: number;
}

/** Scores predicted tags against the truth. */
function score(test: readonly TaggedSentence[], predicted: readonly (readonly number[])[], seen: (w: string) => boolean): TaggerScores {
  const C = UNIVERSAL_TAGS.length;
  const confusion = UNIVERSAL_TAGS.map(() => new Array<number>(C).fill(0));
  let hits = 0;
  let total = 0;
  let unseenHits = 0;
  let unseen = 0;
  test.forEach((s, k) => {
    s.tags.forEach((tag, i) => {
      const truth = UNIVERSAL_TAGS.indexOf(tag);
      const guess = predicted[k]![i]!;
      confusion[truth]![guess]!++;
      total++;
      const ok = truth === guess;
      if (ok) hits++;
      if (!seen(s.words[i]!)) {
        unseen++;
        if (ok) unseenHits++;
      }
    });
  });
  const perTag = confusion.map((row, t) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n === 0 ? Number.NaN : row[t]! / n;
  });
  return { accuracy: hits / total, unseenAccuracy: unseenHits / unseen, perTag, confusion };
}

/** The model's tag ids for every held-out sentence, from batches of 128 padded sentences. */
function predictTags(model: BiLstmTagger, examples: readonly Example[]): number[][] {
  const C = UNIVERSAL_TAGS.length;
  const out: number[][] = [];
  model.eval();
  noGrad(() => {
    for (let start = 0; start < examples.length; start += 128) {
      const chunk = examples.slice(start, start + 128);
      const { padded, lengths } = padSequences(chunk.map((e) => e.input)); // [B, T, 3]
      const logits = model.forward(padded, { lengths }); // [B, T, C]
      const T = logits.shape[1]!;
      const scores = logits.data;
      chunk.forEach((_, b) => {
        const tags: number[] = [];
        for (let t = 0; t < lengths[b]!; t++) {
          const base = (b * T + t) * C;
          let best = 0;
          for (let c = 1; c < C; c++) if (scores[base + c]! > scores[base + best]!) best = c;
          tags.push(best);
        }
        out.push(tags);
      });
    }
  });
  return out;
}

/**
 * Trains the BiLSTM tagger on a seeded sample of Brown sentences and scores it, and the most-frequent-tag baseline,
 * on the held-out part: token accuracy, accuracy on words unseen in training, per-tag accuracy, confusion matrix.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const log = options.onProgress ?? (() => {});
  manualSeed(options.seed);
  const corpus = loadBrown();
  // A seeded sample across all 15 genres (the files run genre by genre, so the first N would be news only).
  const gen = new Generator(options.seed);
  const order = Int32Array.from(corpus.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = gen.randint(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const n = Math.min(options.sentences, corpus.length);
  const nTest = Math.max(1, Math.round(n * options.testFraction));
  const test = Array.from(order.subarray(0, nTest), (i) => corpus[i]!);
  const train = Array.from(order.subarray(nTest, n), (i) => corpus[i]!);

  const features = new TokenFeatures(train.map((s) => s.words), options.minCount);
  const tagId = (t: UniversalTag): number => UNIVERSAL_TAGS.indexOf(t);
  const toExample = (s: TaggedSentence): Example => ({
    input: features.encode(s.words), // [t, 3]
    target: tensor(Int32Array.from(s.tags, tagId), [s.tags.length]), // [t]
  });
  const trainExamples = train.map(toExample);
  const testExamples = test.map(toExample);
  const trainTokens = train.reduce((a, s) => a + s.words.length, 0);
  const baselineTagger = new MostFrequentTag(train);
  log(
    `${train.length} training sentences (${trainTokens} tokens), ${test.length} held out; ` +
      `vocabulary ${features.words.size} words, ${features.suffixes.size} suffixes (minCount ${options.minCount})`,
  );

  const model = new BiLstmTagger({
    vocabSize: features.words.size,
    suffixSize: features.suffixes.size,
    shapeSize: SHAPES.length,
    embeddingDim: options.embeddingDim,
    hiddenSize: options.hiddenSize,
    numTags: UNIVERSAL_TAGS.length,
    dropout: 0.25,
  });
  const trainer = new Trainer({
    model,
    optimizer: new Adam(model.parameters(), { lr: 3e-3 }),
    loss: (logits, target) => crossEntropy(logits, target, { axis: -1, ignoreIndex: IGNORE }),
    metrics: { accuracy: accuracy({ ignoreIndex: IGNORE }) },
    clipGradNorm: 5,
    seed: options.seed,
    progress: false,
  });
  const padded = { targets: 'pad' as const, targetPadValue: IGNORE };
  const started = performance.now();
  const history = await trainer.fit(bucketByLength(trainExamples, { batchSize: 32, seed: options.seed, ...padded }), {
    epochs: options.epochs,
    validation: bucketByLength(testExamples, { batchSize: 128, shuffle: false, ...padded }),
    callbacks: [epochLogger(log, train.length)],
  });
  const seconds = (performance.now() - started) / 1000;

  const seen = (w: string): boolean => baselineTagger.knows(w);
  const modelScores = score(test, predictTags(model, testExamples), seen);
  const baseline = score(test, test.map((s) => s.words.map((w) => tagId(baselineTagger.tag(w)))), seen);
  const testTokens = test.reduce((a, s) => a + s.words.length, 0);
  const majority = tagId(baselineTagger.fallback);
  return {
    trainSentences: train.length,
    trainTokens,
    testSentences: test.length,
    testTokens,
    unseenTokens: test.reduce((a, s) => a + s.words.filter((w) => !seen(w)).length, 0),
    vocabSize: features.words.size,
    trainLoss: history.epochs.map((e) => e.logs.loss!),
    testAccuracyByEpoch: history.epochs.map((e) => e.logs.val_accuracy!),
    model: modelScores,
    baseline,
    // Tokens whose true tag is the majority tag: that row of the confusion matrix.
    majorityAccuracy: modelScores.confusion[majority]!.reduce((a, b) => a + b, 0) / testTokens,
    seconds,
  };
}
