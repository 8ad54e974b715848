import { readFile } from 'node:fs/promises';
import { SerializationError } from '@elman/core';
import { writeFileAtomic } from '@elman/core/node';
import type { AnalogyOptions, AnalogyResult } from '../word2vec/analogies.js';
import type { WordVectors } from '../word2vec/word-vectors.js';
import {
  type TextFormatOptions,
  formatWord2VecBinary,
  formatWord2VecText,
  parseWord2VecBinary,
  parseWord2VecText,
} from '../word2vec/word2vec-format.js';

/** Options of {@link saveWord2VecFile} and {@link loadWord2VecFile}. */
export interface Word2VecFileOptions extends TextFormatOptions {
  /** Binary format (`-binary 1` in word2vec.c). Default: true when the path ends in `.bin`. */
  binary?: boolean;
}

function isBinary(path: string, options: Word2VecFileOptions): boolean {
  return options.binary ?? path.toLowerCase().endsWith('.bin');
}

/**
 * Writes vectors in the word2vec text or binary format (atomically: a temporary file renamed into place), readable
 * by word2vec.c's `distance`, gensim's `KeyedVectors.load_word2vec_format` and {@link loadWord2VecFile}.
 *
 * @example
 * ```ts run
 * import { WordVectors } from '@elman/text';
 * import { loadWord2VecFile, saveWord2VecFile } from '@elman/text/node';
 *
 * const wv = new WordVectors(['whale', 'ship'], Float32Array.from([0.1, 0.2, 0.3, 0.4]), 2);
 * await saveWord2VecFile('vectors.bin', wv); // word2vec's binary format (.bin); the text format otherwise
 * const back = await loadWord2VecFile('vectors.bin'); // also reads files written by word2vec.c or gensim
 * console.log(back.similarity('whale', 'ship').toFixed(4) === wv.similarity('whale', 'ship').toFixed(4)); // true
 * ```
 */
export async function saveWord2VecFile(path: string, wv: WordVectors, options: Word2VecFileOptions = {}): Promise<void> {
  const bytes = isBinary(path, options) ? formatWord2VecBinary(wv) : new TextEncoder().encode(formatWord2VecText(wv, options));
  await writeFileAtomic(path, bytes);
}

/** Reads a word2vec text or binary file (as written by word2vec.c, gensim or {@link saveWord2VecFile}). */
export async function loadWord2VecFile(path: string, options: Word2VecFileOptions = {}): Promise<WordVectors> {
  const bytes = await readFile(path);
  if (isBinary(path, options)) return parseWord2VecBinary(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SerializationError(`loadWord2VecFile: ${path} is not UTF-8 text (pass { binary: true } for the binary format)`);
  }
  return parseWord2VecText(text);
}

/** `wv.evaluateAnalogies` on a question file such as word2vec.c's `questions-words.txt`. */
export async function evaluateAnalogiesFile(wv: WordVectors, path: string, options: AnalogyOptions = {}): Promise<AnalogyResult> {
  return wv.evaluateAnalogies(await readFile(path, 'utf8'), options);
}
