import { createReadStream } from 'node:fs';
import { ValueError } from '@elman/core';
import type { Tokenizer } from '../tokenize/tokenizer.js';

/** Options of {@link readSentences}. */
export interface ReadSentencesOptions {
  /** Splits each line; default: whitespace, as word2vec.c reads its training file. */
  tokenizer?: Tokenizer;
  /** Longest sentence handed out; a longer line (text8 is one 17M-word line) comes in pieces. Default 10000. */
  maxTokens?: number;
}

/** Bytes read per `read()`; lines are cut from these blocks. */
const BLOCK = 1 << 20;

/**
 * A file as a corpus of sentences, one per line, streamed with `node:fs`: every `for await` opens the file anew,
 * so training can make its counting pass and one pass per epoch without the corpus ever being held in memory.
 *
 * @example
 * ```ts run
 * import { writeFile } from 'node:fs/promises';
 * import { Word2Vec } from '@elman/text';
 * import { readSentences } from '@elman/text/node';
 *
 * await writeFile('corpus.txt', 'the whale dived\nthe ship sailed\nthe whale surfaced\n');
 * const model = new Word2Vec({ minCount: 1, vectorSize: 8, epochs: 2 });
 * await model.train(readSentences('corpus.txt')); // streamed: one counting pass, then one pass per epoch
 * console.log(model.has('whale')); // true
 * ```
 */
export function readSentences(path: string, options: ReadSentencesOptions = {}): AsyncIterable<string[]> {
  const maxTokens = options.maxTokens ?? 10_000;
  if (!(Number.isInteger(maxTokens) && maxTokens > 0)) throw new ValueError(`readSentences: maxTokens must be a positive integer, got ${maxTokens}`);
  const tokenize = options.tokenizer ? (s: string) => options.tokenizer!.tokenize(s) : (s: string) => s.match(/\S+/g) ?? [];
  return {
    async *[Symbol.asyncIterator]() {
      const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: BLOCK });
      let rest = '';
      // A pending partial line longer than a block is flushed at its last whitespace, so one huge line never
      // accumulates in memory.
      for await (const block of stream as AsyncIterable<string>) {
        const text = rest + block;
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
          yield* pieces(tokenize(text.slice(start, nl)), maxTokens);
          start = nl + 1;
        }
        rest = text.slice(start);
        if (rest.length > BLOCK) {
          const cut = Math.max(rest.lastIndexOf(' '), rest.lastIndexOf('\t'));
          if (cut > 0) {
            yield* pieces(tokenize(rest.slice(0, cut)), maxTokens);
            rest = rest.slice(cut + 1);
          }
        }
      }
      if (rest !== '') yield* pieces(tokenize(rest), maxTokens);
    },
  };
}

function* pieces(tokens: string[], maxTokens: number): Generator<string[]> {
  if (tokens.length === 0) return;
  if (tokens.length <= maxTokens) {
    yield tokens;
    return;
  }
  for (let i = 0; i < tokens.length; i += maxTokens) yield tokens.slice(i, i + maxTokens);
}
