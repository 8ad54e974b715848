import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { UnknownWordError } from './errors.js';
import type { TrainingProgress } from './progress.js';
import { formatProgress } from './progress.js';
import { Word2Vec } from './word2vec.js';

// A small synthetic corpus: two topics whose words only co-occur within their topic. Word2Vec trains with its
// own flat-array kernels, never the tensor backends, so this suite runs once per kernel (wasm and JS).
const animals = ['cat', 'dog', 'horse', 'cow', 'sheep', 'goat'];
const tools = ['hammer', 'saw', 'drill', 'wrench', 'chisel', 'pliers'];
function topicWords(topics: number): string[][] {
  return Array.from({ length: topics }, (_, t) => (t === 0 ? animals : t === 1 ? tools : animals.map((_, i) => `t${t}w${i}`)));
}
/** `sentences` sentences of 8 words; sentence s draws from topic s mod `topics` (topic 0 animals, 1 tools, then t2w0…). */
function makeCorpus(sentences: number, topics = 2): string[][] {
  const vocab = topicWords(topics);
  const out: string[][] = [];
  let x = 1;
  const next = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return (x >>> 8) % n;
  };
  for (let s = 0; s < sentences; s++) {
    const topic = vocab[s % topics]!;
    out.push(Array.from({ length: 8 }, () => topic[next(topic.length)]!));
  }
  return out;
}
/** Mean cosine over all pairs of words of the same topic, and of different topics. */
function topicSimilarity(m: Word2Vec, topics: string[][]): { within: number; across: number } {
  const words = topics.flatMap((ws, t) => ws.map((w) => [w, t] as const));
  const sum = [0, 0];
  const n = [0, 0];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      const same = words[i]![1] === words[j]![1] ? 0 : 1;
      sum[same]! += m.similarity(words[i]![0], words[j]![0]);
      n[same]!++;
    }
  }
  return { within: sum[0]! / n[0]!, across: sum[1]! / n[1]! };
}
const corpus = makeCorpus(400);

async function* asyncSentences(sentences: string[][]): AsyncGenerator<string[]> {
  for (const s of sentences) yield s;
}

describe.each(['wasm', 'js'] as const)('Word2Vec (%s kernel)', (kernel) => {
  it('builds the vocabulary by decreasing count, ties in code-unit order, after minCount and maxVocabSize', () => {
    const m = new Word2Vec({ kernel, minCount: 2, vectorSize: 4 });
    m.buildVocabSync([['b', 'a', 'c', 'a', 'b', 'd'], ['c', 'a', 'b', 'e']]);
    expect(m.words).toEqual(['a', 'b', 'c']);
    expect([m.count('a'), m.count('c'), m.count('d')]).toEqual([3, 2, 0]);
    const capped = new Word2Vec({ kernel, minCount: 1, maxVocabSize: 2, vectorSize: 4 });
    capped.buildVocabSync([['b', 'a', 'c', 'a', 'b', 'd']]);
    expect(capped.words).toEqual(['a', 'b']);
  });

  it('initialises vectors in (−0.5/D, 0.5/D) like word2vec.c', () => {
    const m = new Word2Vec({ kernel, minCount: 1, vectorSize: 10 });
    m.buildVocabSync(corpus);
    const v = m.vectors;
    expect(v.length).toBe(12 * 10);
    expect(Math.max(...v)).toBeLessThan(0.05);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.05);
    expect(new Set(v).size).toBeGreaterThan(100);
  });

  it('is deterministic with a seed and one worker; another seed gives other vectors', () => {
    const opts = { minCount: 1, vectorSize: 8, epochs: 2, seed: 3 } as const;
    const a = new Word2Vec({ ...opts, kernel });
    a.trainSync(corpus);
    const b = new Word2Vec({ ...opts, kernel });
    b.trainSync(corpus);
    expect(Array.from(b.vectors)).toEqual(Array.from(a.vectors));
    const c = new Word2Vec({ ...opts, kernel, seed: 4 });
    c.trainSync(corpus);
    expect(Array.from(c.vectors)).not.toEqual(Array.from(a.vectors));
  });

  it('trains the same from an array, an async iterable, and through trainSync', async () => {
    const opts = { architecture: 'skipgram', minCount: 1, vectorSize: 8, epochs: 2, seed: 9 } as const;
    const sync = new Word2Vec({ ...opts, kernel });
    sync.trainSync(corpus);
    const fromArray = new Word2Vec({ ...opts, kernel });
    await fromArray.train(corpus);
    // A re-iterable async corpus: every pass starts a fresh generator.
    const fromAsync = new Word2Vec({ ...opts, kernel });
    const stats = await fromAsync.train({ [Symbol.asyncIterator]: () => asyncSentences(corpus) });
    expect(Array.from(fromArray.vectors)).toEqual(Array.from(sync.vectors));
    expect(Array.from(fromAsync.vectors)).toEqual(Array.from(sync.vectors));
    expect(stats.corpusWords).toBe(2 * 400 * 8);
    expect(stats.words).toBe(2 * 400 * 8);
    expect(stats.trainedWords).toBeGreaterThan(0);
    expect(stats.trainedWords).toBeLessThan(stats.words); // subsampling dropped some
  });

  it('replays an array corpus after the first epoch exactly as re-reading it: same vectors, counts and schedule', async () => {
    // Several chunks (> 10,000 words per epoch), tokens dropped by minCount, and a last sentence of dropped tokens
    // only, so the replay must carry chunk boundaries and the out-of-vocabulary counts over.
    const sentences = makeCorpus(1500).map((s, i) => (i % 7 === 0 ? [...s, `rare${i}`] : s));
    sentences.push(['onlyonce', 'alsoonce']);
    const opts = { architecture: 'cbow', minCount: 2, vectorSize: 8, epochs: 3, seed: 4, kernel } as const;
    const reiterable: Iterable<string[]> = { [Symbol.iterator]: () => sentences[Symbol.iterator]() };
    const alphas = (m: Word2Vec, c: Iterable<string[]>) => {
      const seen: number[] = [];
      const stats = m.trainSync(c, { progressInterval: 0, onProgress: (p) => seen.push(p.alpha) });
      return { stats, seen };
    };
    const replayed = alphas(new Word2Vec(opts), sentences);
    const reread = alphas(new Word2Vec(opts), reiterable);
    expect(replayed.seen).toEqual(reread.seen);
    expect(replayed.seen.length).toBeGreaterThan(3 * 2);
    const words = sentences.reduce((n, s) => n + s.length, 0);
    expect(replayed.stats.corpusWords).toBe(3 * words);
    expect(reread.stats.corpusWords).toBe(3 * words);
    expect(replayed.stats.words).toBe(reread.stats.words);
    expect(replayed.stats.trainedWords).toBe(reread.stats.trainedWords);
    const a = new Word2Vec(opts);
    await a.train(sentences);
    const b = new Word2Vec(opts);
    await b.train(reiterable);
    expect(Array.from(a.vectors)).toEqual(Array.from(b.vectors));
    const c = new Word2Vec(opts);
    c.trainSync(sentences);
    expect(Array.from(c.vectors)).toEqual(Array.from(a.vectors));
  });

  it('accepts whitespace-separated strings as sentences', () => {
    const opts = { minCount: 1, vectorSize: 6, epochs: 1, seed: 2 } as const;
    const tokens = new Word2Vec({ ...opts, kernel });
    tokens.trainSync(corpus);
    const strings = new Word2Vec({ ...opts, kernel });
    strings.trainSync(corpus.map((s) => ` ${s.join('  ')}\n`));
    expect(Array.from(strings.vectors)).toEqual(Array.from(tokens.vectors));
  });

  it('learns the topics of a synthetic corpus', () => {
    // 20 topics of 6 words: words of a topic share contexts, words of different topics never meet.
    // Measured (seed 1): within 0.998, across 0.40 for both architectures.
    const topical = makeCorpus(4000, 20);
    for (const architecture of ['cbow', 'skipgram'] as const) {
      const m = new Word2Vec({ kernel, architecture, minCount: 1, vectorSize: 16, window: 3, epochs: 3, seed: 1 });
      m.trainSync(topical);
      const { within, across } = topicSimilarity(m, topicWords(20));
      expect(within - across).toBeGreaterThan(0.4);
      for (const { word } of m.mostSimilar('horse', 5)) expect(animals).toContain(word);
    }
  });

  it('reports progress: alpha decays linearly from alpha to minAlpha and progress reaches 1', () => {
    const reports: TrainingProgress[] = [];
    const m = new Word2Vec({ kernel, minCount: 1, vectorSize: 4, epochs: 3, alpha: 0.04, minAlpha: 0.001 });
    const stats = m.trainSync(makeCorpus(6000), { onProgress: (p) => reports.push(p), progressInterval: 0 });
    expect(reports.length).toBeGreaterThan(10);
    const last = reports[reports.length - 1]!;
    expect(last.progress).toBe(1);
    expect(last.epoch).toBe(3);
    expect(last.alpha).toBeCloseTo(0.001, 12);
    expect(last.words).toBe(stats.words);
    expect(last.totalWords).toBe(3 * 6000 * 8);
    for (const r of reports) expect(r.alpha).toBeCloseTo(0.04 - 0.039 * (r.words / r.totalWords), 12);
    for (let i = 1; i < reports.length; i++) expect(reports[i]!.words).toBeGreaterThanOrEqual(reports[i - 1]!.words);
    expect(formatProgress(last)).toMatch(/^epoch 3\/3 {2}100\.0% {2}alpha 0\.001000 {2}[\d.]+k words\/s {2}elapsed [\d.]+s {2}ETA 0\.0s$/);
  });

  it('uses the defaults of word2vec.c', () => {
    const cbow = new Word2Vec();
    expect(cbow.options).toMatchObject({ kernel: 'auto', architecture: 'cbow', vectorSize: 100, window: 5, minCount: 5, negative: 5, hs: false, sample: 1e-3, alpha: 0.05, epochs: 5, workers: 1 });
    expect(cbow.options.minAlpha).toBeCloseTo(5e-6, 15);
    expect(new Word2Vec({ kernel, architecture: 'skipgram' }).options.alpha).toBe(0.025);
  });

  it('rejects an empty corpus and a vocabulary emptied by minCount', () => {
    expect(() => new Word2Vec({ kernel }).trainSync([])).toThrow(/the corpus is empty \(no words\)/);
    expect(() => new Word2Vec({ kernel }).trainSync([[], ['  ']])).toThrow(ValueError);
    expect(() => new Word2Vec({ kernel, minCount: 5 }).trainSync([['a', 'b', 'a']])).toThrow(
      /vocabulary is empty: none of the 2 distinct words occurs at least minCount = 5 times/,
    );
  });

  it('rejects a one-shot iterator when several passes are needed, and accepts it for one pass', async () => {
    const m = new Word2Vec({ kernel, minCount: 1, vectorSize: 4, epochs: 1 });
    await expect(m.train(asyncSentences(corpus))).rejects.toThrow(/one-shot iterator .* needs 2 passes/);
    m.buildVocabSync(corpus);
    const stats = await m.train(asyncSentences(corpus));
    expect(stats.corpusWords).toBe(400 * 8);
  });

  it('rejects corpora and sentences of the wrong type', async () => {
    expect(() => new Word2Vec({ kernel }).trainSync('a b c' as never)).toThrow(/got a string/);
    expect(() => new Word2Vec({ kernel }).trainSync([42] as never)).toThrow(/each sentence must be a string or an array of tokens, got number/);
    await expect(new Word2Vec({ kernel }).train(null as never)).rejects.toThrow(ValueError);
    expect(() => new Word2Vec({ kernel }).trainSync({ [Symbol.asyncIterator]: () => asyncSentences(corpus) } as never)).toThrow(/async; use train/);
    expect(() => new Word2Vec({ kernel, workers: 2 }).trainSync(corpus)).toThrow(/use train\(\) for workers: 2/);
  });

  it('rejects bad options with their name', () => {
    expect(() => new Word2Vec({ kernel, architecture: 'glove' as never })).toThrow(/architecture must be 'cbow' or 'skipgram'/);
    expect(() => new Word2Vec({ kernel, vectorSize: 0 })).toThrow(/vectorSize must be an integer ≥ 1, got 0/);
    expect(() => new Word2Vec({ kernel, window: 2.5 })).toThrow(/window/);
    expect(() => new Word2Vec({ kernel, negative: 0, hs: false })).toThrow(/nothing to train/);
    expect(() => new Word2Vec({ kernel, alpha: -1 })).toThrow(/alpha must be a positive number/);
    expect(() => new Word2Vec({ kernel, alpha: 0.01, minAlpha: 0.1 })).toThrow(/minAlpha must be in \[0, alpha = 0.01\]/);
    expect(() => new Word2Vec({ kernel, sample: Number.NaN })).toThrow(/sample/);
    expect(() => new Word2Vec({ kernel, seed: Number.POSITIVE_INFINITY })).toThrow(/seed/);
    expect(() => new Word2Vec({ kernel, workers: 0 })).toThrow(/workers/);
  });

  it('names an unknown word in a query', () => {
    const m = new Word2Vec({ kernel, minCount: 1, vectorSize: 4, epochs: 1 });
    m.trainSync(corpus);
    expect(() => m.vector('unicorn')).toThrow(UnknownWordError);
    expect(() => m.similarity('cat', 'unicorn')).toThrow(/similarity: 'unicorn' is not in the vocabulary/);
    expect(() => m.mostSimilar('unicorn')).toThrow(UnknownWordError);
    try {
      m.analogy('cat', 'dog', 'unicorn');
    } catch (err) {
      expect(err).toBeInstanceOf(ValueError);
      expect((err as UnknownWordError).word).toBe('unicorn');
    }
  });
});
