import { ShapeError, ValueError, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vocabulary } from '../vocabulary.js';
import { UnknownWordError } from './errors.js';
import { WordVectors } from './word-vectors.js';

// Hand-built vectors on three axes: royalty, gender, fruit.
const words = ['king', 'queen', 'man', 'woman', 'apple', 'pear'];
const rows = [
  [1, 1, 0],
  [1, -1, 0],
  [0, 1, 0.1],
  [0, -1, 0.1],
  [0, 0, 1],
  [0.1, 0, 1],
];
const make = () => new WordVectors(words, Float32Array.from(rows.flat()), 3);
const cos = (a: number[], b: number[]) => {
  const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
  return dot / Math.hypot(...a) / Math.hypot(...b);
};

// Similarity scores go through the backend's GEMM, so the queries run on every backend.
describe.each(testBackends())('WordVectors (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('exposes words, rows and copies of vectors', () => {
    const wv = make();
    expect(wv.size).toBe(6);
    expect(wv.vectorSize).toBe(3);
    expect(wv.indexOf('man')).toBe(2);
    expect(wv.indexOf('dragon')).toBe(-1);
    const v = wv.vector('queen');
    expect(Array.from(v)).toEqual([1, -1, 0]);
    v[0] = 9;
    expect(wv.vector('queen')[0]).toBe(1);
    expect(wv.toTensor().shape).toEqual([6, 3]);
  });

  it('computes cosine similarity', () => {
    const wv = make();
    expect(wv.similarity('king', 'man')).toBeCloseTo(cos(rows[0]!, rows[2]!), 6);
    expect(wv.similarity('king', 'queen')).toBeCloseTo(0, 6);
    expect(wv.similarity('apple', 'apple')).toBeCloseTo(1, 6);
  });

  it('ranks the nearest words by cosine, query words excluded', () => {
    const wv = make();
    const near = wv.mostSimilar('king', 2);
    expect(near.map((s) => s.word)).toEqual(['man', 'pear']);
    expect(near[0]!.similarity).toBeCloseTo(cos(rows[0]!, rows[2]!), 5);
    expect(wv.mostSimilar('king', 10).map((s) => s.word)).not.toContain('king');
    expect(wv.mostSimilar('king', 10)).toHaveLength(5);
    expect(wv.mostSimilar(['apple', 'pear'], 1)[0]!.word).toBe('man');
    expect(wv.mostSimilar({ positive: ['king'], restrictVocab: 2 }).map((s) => s.word)).toEqual(['queen']);
    expect(wv.mostSimilar('king', 0)).toEqual([]);
  });

  it('solves analogies by 3CosAdd: man is to king as woman is to queen', () => {
    const wv = make();
    expect(wv.analogy('man', 'king', 'woman').word).toBe('queen');
    expect(wv.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 1 })[0]!.word).toBe('queen');
    expect(wv.analogy('king', 'man', 'queen').word).toBe('woman');
  });

  it('evaluates a questions-words file: sections, skipped questions, case-insensitive matching', () => {
    const wv = make();
    const questions = [
      ': royalty',
      'man king woman queen',
      'king man queen woman',
      ': mixed',
      'apple pear king queen', // pear − apple + king is nearest to man: wrong
      'man king unicorn queen', // unknown word: skipped
      'MAN KING WOMAN QUEEN',
      '',
    ].join('\n');
    const r = wv.evaluateAnalogies(questions);
    expect(r.sections).toEqual([
      { section: 'royalty', correct: 2, total: 2, skipped: 0, accuracy: 1 },
      { section: 'mixed', correct: 1, total: 2, skipped: 1, accuracy: 0.5 },
    ]);
    expect([r.correct, r.total, r.skipped, r.accuracy]).toEqual([3, 4, 1, 0.75]);
    const exact = wv.evaluateAnalogies(questions, { caseInsensitive: false });
    expect([exact.correct, exact.total, exact.skipped]).toEqual([2, 3, 2]);
    // Only king and queen are among the 2 most frequent words: every question has an excluded word.
    const top2 = wv.evaluateAnalogies(questions, { restrictVocab: 2 });
    expect([top2.total, top2.skipped, top2.accuracy]).toEqual([0, 5, 0]);
  });

  it('rejects a malformed question line with its number', () => {
    expect(() => make().evaluateAnalogies(': s\nman king woman\n')).toThrow(/evaluateAnalogies: line 2 has 3 words, expected 4/);
  });

  it('builds an Embedding, frozen by default, in its own or a vocabulary order', () => {
    const wv = make();
    const own = wv.toEmbedding();
    expect(own.weight.shape).toEqual([6, 3]);
    expect(own.weight.requiresGrad).toBe(false);
    expect(Array.from(own.forward(tensor([1], undefined, { dtype: 'int32' })).data)).toEqual([1, -1, 0]);

    const vocab = new Vocabulary(['queen', 'dragon', 'king']);
    const emb = wv.toEmbedding(vocab, { freeze: false });
    expect(emb.weight.requiresGrad).toBe(true);
    expect(emb.paddingIdx).toBe(0);
    const out = emb.forward(tensor(vocab.encode(['king', 'dragon', 'queen', 'troll']), undefined, { dtype: 'int32' })); // [4, 3]
    expect(out.toArray()).toEqual([
      [1, 1, 0],
      [0, 0, 0], // no vector: zeros
      [1, -1, 0],
      [0, 0, 0], // <unk>
    ]);
  });

  it('rejects inconsistent construction and unknown words', () => {
    expect(() => new WordVectors(['a'], new Float32Array(3), 2)).toThrow(ShapeError);
    expect(() => new WordVectors(['a', 'a'], new Float32Array(4), 2)).toThrow(/duplicate word 'a' at row 1/);
    expect(() => new WordVectors([], new Float32Array(0), 0)).toThrow(ValueError);
    const wv = make();
    expect(() => wv.vector('dragon')).toThrow(UnknownWordError);
    expect(() => wv.mostSimilar({ positive: ['king'], negative: ['dragon'] })).toThrow(/mostSimilar: 'dragon' is not in the vocabulary/);
    expect(() => wv.mostSimilar({})).toThrow(/at least one positive or negative word/);
    expect(() => wv.mostSimilar('king', -1)).toThrow(/topn/);
  });
});
