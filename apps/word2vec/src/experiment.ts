import { type AnalogyResult, type SimilarWord, Word2Vec, formatProgress } from '@elman/text';
import { loadSotu } from './corpus.js';
import { pca } from './pca.js';
import { PROBES, TOPICS, type TopicMargin, analogyQuestions, topicMargin } from './topics.js';

/** The two word2vec architectures (Mikolov et al. 2013). */
export type Architecture = 'cbow' | 'skipgram';

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Use the addresses from this year on. Default 0 (all, 1790–2021). */
  fromYear?: number;
  /** Epochs per model. Default 5. */
  epochs?: number;
  /** Vector size. Default 100. */
  vectorSize?: number;
  /** Worker threads (Hogwild) per model; 1 trains on the calling thread, deterministically. Default 2. */
  workers?: number;
  /** Architectures to train. Default both. */
  architectures?: readonly Architecture[];
  /** Seed. Default 1. */
  seed?: number;
  /** Called with a one-line progress message (for printing). */
  onProgress?: (line: string) => void;
}

/** A word of the PCA picture. */
export interface ProjectedWord {
  /** The word. */
  word: string;
  /** Its topic group. */
  topic: string;
  /** First principal coordinate. */
  x: number;
  /** Second principal coordinate. */
  y: number;
}

/** What one architecture learned. */
export interface ModelReport {
  /** Which architecture. */
  architecture: Architecture;
  /** Vocabulary size (count ≥ 5). */
  vocabulary: number;
  /** Training seconds. */
  seconds: number;
  /** Corpus words per second. */
  wordsPerSecond: number;
  /** Topic pairs against random pairs. */
  margin: TopicMargin;
  /** Five nearest neighbours of every probe word. */
  neighbours: { word: string; nearest: SimilarWord[] }[];
  /** 3CosAdd analogy accuracy on the app's questions. */
  analogies: AnalogyResult;
  /** The topic words on the first two principal components of their vectors. */
  projection: ProjectedWord[];
  /** Fraction of the topic words' variance on the two components. */
  explained: number;
}

/** What {@link runExperiment} returns. */
export interface ExperimentResult {
  /** Addresses, words and years of the corpus used. */
  corpus: { addresses: number; words: number; years: [number, number] };
  /** Epochs per model. */
  epochs: number;
  /** One report per architecture, in the order asked. */
  models: ModelReport[];
}

/**
 * Trains CBOW and skip-gram word2vec (`@elman/text`, the original tool's semantics) on the State of the Union
 * addresses and measures what the vectors know: topic words nearer than random pairs, nearest neighbours, 3CosAdd
 * analogies, and a 2-D PCA of the topic words.
 */
export async function runExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const epochs = options.epochs ?? 5;
  const say = options.onProgress ?? (() => {});
  const corpus = loadSotu(options.fromYear ?? 0);
  say(`corpus: ${corpus.addresses} addresses ${corpus.years[0]}–${corpus.years[1]}, ${corpus.sentences.length} sentences, ${corpus.words} words`);
  const models: ModelReport[] = [];
  for (const architecture of options.architectures ?? (['cbow', 'skipgram'] as const)) {
    const model = new Word2Vec({
      architecture,
      vectorSize: options.vectorSize ?? 100,
      window: 5,
      negative: 5,
      minCount: 5,
      epochs,
      workers: options.workers ?? 2,
      seed: options.seed ?? 1,
    });
    const stats = await model.train(corpus.sentences, { onProgress: (p) => say(`${architecture}: ${formatProgress(p)}`), progressInterval: 2000 });
    const margin = topicMargin(model, (w) => model.count(w));
    say(`${architecture}: ${model.size} words, topic pairs ${margin.topical.toFixed(3)} vs random pairs ${margin.random.toFixed(3)}`);
    const topicWords = Object.entries(TOPICS).flatMap(([topic, ws]) => ws.filter((w) => model.has(w)).map((word) => ({ word, topic })));
    const D = model.vectorSize;
    const rows = new Float64Array(topicWords.length * D);
    for (const [i, { word }] of topicWords.entries()) rows.set(model.vector(word), i * D);
    const p = pca(rows, topicWords.length, D, 2);
    let total = 0;
    for (let i = 0; i < topicWords.length; i++) for (let d = 0; d < D; d++) total += (rows[i * D + d]! - p.mean[d]!) ** 2 / (topicWords.length - 1);
    models.push({
      architecture,
      vocabulary: model.size,
      seconds: stats.seconds,
      wordsPerSecond: stats.wordsPerSecond,
      margin,
      neighbours: PROBES.filter((w) => model.has(w)).map((word) => ({ word, nearest: model.mostSimilar(word, 5) })),
      analogies: model.evaluateAnalogies(analogyQuestions()),
      projection: topicWords.map(({ word, topic }, i) => ({ word, topic, x: p.projections[2 * i]!, y: p.projections[2 * i + 1]! })),
      explained: (p.variances[0]! + p.variances[1]!) / total,
    });
  }
  return { corpus: { addresses: corpus.addresses, words: corpus.words, years: corpus.years }, epochs, models };
}
