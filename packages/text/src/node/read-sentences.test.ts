import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueError } from '@elman/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WordTokenizer } from '../tokenize/word-tokenizer.js';
import { Word2Vec } from '../word2vec/word2vec.js';
import { readSentences } from './read-sentences.js';

// File streaming only; no tensors.

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'elman-text-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function collect(it: AsyncIterable<string[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const s of it) out.push(s);
  return out;
}

describe('readSentences', () => {
  it('yields one whitespace-split sentence per non-blank line, and starts afresh on every pass', async () => {
    const path = join(dir, 'corpus.txt');
    await fsp.writeFile(path, 'the cat  sat\r\n\n\t on the mat \nlast line without newline');
    const corpus = readSentences(path);
    const expected = [['the', 'cat', 'sat'], ['on', 'the', 'mat'], ['last', 'line', 'without', 'newline']];
    expect(await collect(corpus)).toEqual(expected);
    expect(await collect(corpus)).toEqual(expected);
  });

  it('applies a tokenizer and cuts long lines into pieces of maxTokens', async () => {
    const path = join(dir, 'corpus.txt');
    await fsp.writeFile(path, 'Call me Ishmael. Some years ago!\na b c d e\n');
    const tokenizer = new WordTokenizer({ lowercase: true, punctuation: 'strip' });
    expect(await collect(readSentences(path, { tokenizer, maxTokens: 2 }))).toEqual([
      ['call', 'me'], ['ishmael', 'some'], ['years', 'ago'], ['a', 'b'], ['c', 'd'], ['e'],
    ]);
    expect(() => readSentences(path, { maxTokens: 0 })).toThrow(ValueError);
  });

  it('streams a single huge line without losing or splitting words', async () => {
    const path = join(dir, 'text8-like.txt');
    const words = Array.from({ length: 400_000 }, (_, i) => `w${i % 997}`);
    await fsp.writeFile(path, words.join(' '));
    const pieces = await collect(readSentences(path));
    expect(pieces.flat()).toEqual(words);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(10_000);
  });

  it('trains Word2Vec from the file exactly as from the same sentences in memory', async () => {
    const path = join(dir, 'corpus.txt');
    const lines = Array.from({ length: 300 }, (_, i) => Array.from({ length: 7 }, (_, k) => `w${(i * 7 + k * k) % 31}`));
    await fsp.writeFile(path, `${lines.map((l) => l.join(' ')).join('\n')}\n`);
    const opts = { minCount: 1, vectorSize: 8, epochs: 2, seed: 4 } as const;
    const fromFile = new Word2Vec(opts);
    const stats = await fromFile.train(readSentences(path));
    const inMemory = new Word2Vec(opts);
    inMemory.trainSync(lines);
    expect(stats.corpusWords).toBe(2 * 300 * 7);
    expect(fromFile.words).toEqual(inMemory.words);
    expect(Array.from(fromFile.vectors)).toEqual(Array.from(inMemory.vectors));
  });

  it('rejects a missing file when iterated', async () => {
    await expect(collect(readSentences(join(dir, 'missing.txt')))).rejects.toThrow(/ENOENT/);
  });
});
