import { readFileSync } from 'node:fs';
import { ValueError } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { WordTokenizer } from '../tokenize/word-tokenizer.js';
import { Vocabulary } from '../vocabulary.js';
import { bagOfWords, inverseDocumentFrequency } from './bag-of-words.js';

// scikit-learn's TfidfVectorizer formulas written out in NumPy by fixtures/make-tfidf.py.
const tfidf = JSON.parse(readFileSync(new URL('./fixtures/tfidf.json', import.meta.url), 'utf8')) as {
  vocab: string[];
  docs: string[];
  counts: number[][];
  cases: Array<{ smoothIdf: boolean; sublinearTf: boolean; norm: 'l2' | 'l1' | 'none'; idf: number[]; weights: number[][] }>;
};

function expectClose(actual: number[][], expected: number[][], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    row.forEach((x, j) => {
      expect(Math.abs(x - expected[i]![j]!)).toBeLessThan(tol);
    });
  });
}

describe.each(testBackends())('bagOfWords (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('gives the "I am good" / "I am great" table of the seeds', () => {
    const vocab = new Vocabulary(['I', 'am', 'good', 'great'], { specials: [] });
    expect(bagOfWords(['I am good', 'I am great'], vocab).toArray()).toEqual([
      [1, 1, 1, 0],
      [1, 1, 0, 1],
    ]);
  });

  it('counts repeats, or marks presence with binary', () => {
    const vocab = new Vocabulary(['good', 'very'], { specials: [] });
    expect(bagOfWords([['very', 'very', 'good']], vocab).toArray()).toEqual([[1, 2]]);
    expect(bagOfWords([['very', 'very', 'good']], vocab, { binary: true }).toArray()).toEqual([[1, 1]]);
  });

  it('counts unknown words under <unk> when the vocabulary has one, and ignores them otherwise', () => {
    const withUnk = new Vocabulary(['good'], { specials: ['<pad>', '<unk>'] });
    expect(bagOfWords(['good, bad, ugly!'], withUnk).toArray()).toEqual([[0, 2, 1]]);
    const without = new Vocabulary(['good'], { specials: [] });
    expect(bagOfWords(['good, bad, ugly!'], without).toArray()).toEqual([[1]]);
  });

  it('tokenizes strings with the given tokenizer', () => {
    const vocab = new Vocabulary(['hello', 'world'], { specials: [] });
    const tokenizer = new WordTokenizer({ lowercase: true, punctuation: 'strip' });
    expect(bagOfWords(['Hello, WORLD! hello'], vocab, { tokenizer }).toArray()).toEqual([[2, 1]]);
  });

  it('returns the same matrix in sparse CSR form', () => {
    const vocab = new Vocabulary(tfidf.vocab, { specials: [] });
    const sparse = bagOfWords(tfidf.docs, vocab, { sparse: true, tfidf: true });
    // Distinct in-vocabulary words per document: 5, 5, 4 ("food" is unknown), 6.
    expect(Array.from(sparse.indptr)).toEqual([0, 5, 10, 14, 20]);
    expect(sparse.toDense().toArray()).toEqual(bagOfWords(tfidf.docs, vocab, { tfidf: true }).toArray());
  });

  it('matches the NumPy counts of the fixture', () => {
    const vocab = new Vocabulary(tfidf.vocab, { specials: [] });
    expect(bagOfWords(tfidf.docs, vocab).toArray()).toEqual(tfidf.counts);
  });

  it.each(tfidf.cases.map((c) => [`smoothIdf ${c.smoothIdf}, sublinearTf ${c.sublinearTf}, norm ${c.norm}`, c] as const))(
    'matches scikit-learn TF-IDF: %s',
    (_name, c) => {
      const vocab = new Vocabulary(tfidf.vocab, { specials: [] });
      const idf = inverseDocumentFrequency(tfidf.docs, vocab, { smooth: c.smoothIdf });
      for (let i = 0; i < c.idf.length; i++) expect(idf[i]).toBeCloseTo(c.idf[i]!, 12);
      const opts = { smoothIdf: c.smoothIdf, sublinearTf: c.sublinearTf, norm: c.norm };
      expectClose(bagOfWords(tfidf.docs, vocab, { tfidf: opts }).toArray() as number[][], c.weights, 1e-6);
      // A precomputed idf (e.g. from training documents) gives the same result.
      expectClose(bagOfWords(tfidf.docs, vocab, { tfidf: { ...opts, idf } }).toArray() as number[][], c.weights, 1e-6);
    },
  );

  it('gives a word found in no document an idf of 0 without smoothing (no NaN)', () => {
    const vocab = new Vocabulary(['seen', 'unseen'], { specials: [] });
    expect(Array.from(inverseDocumentFrequency([['seen']], vocab, { smooth: false }))).toEqual([1, 0]);
  });

  it('rejects bad documents and options', () => {
    const vocab = new Vocabulary(['a'], { specials: [] });
    expect(() => bagOfWords([42 as never], vocab)).toThrow(/bagOfWords: document 0 is neither a string nor a token array/);
    expect(() => bagOfWords(['a'], vocab, { tfidf: { idf: new Float64Array(3) } })).toThrow(/idf has 3 entries for a vocabulary of 1/);
    expect(() => bagOfWords(['a'], vocab, { tfidf: { norm: 'max' as never } })).toThrow(ValueError);
    expect(() => inverseDocumentFrequency([], vocab)).toThrow(/no documents/);
  });
});
