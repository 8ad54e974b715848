import { SerializationError, ValueError } from '@elman/core';
import { WordVectors } from './word-vectors.js';

/** Options of {@link formatWord2VecText}. */
export interface TextFormatOptions {
  /**
   * Fixed decimals per value (word2vec.c writes `%lf`, i.e. 6). Default: the shortest decimal that reads back as
   * the same float32, so a save/load round trip is exact.
   */
  decimals?: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;

function checkWord(op: string, word: string, row: number): void {
  if (word === '' || /\s/u.test(word)) {
    throw new ValueError(`${op}: word ${row} ${JSON.stringify(word)} is empty or contains whitespace, which the word2vec format cannot store`);
  }
}

/** Shortest decimal string that reads back as the float32 `x` (at most 9 significant digits always suffice). */
function float32ToString(x: number): string {
  for (let p = 6; p < 9; p++) {
    const v = Number(x.toPrecision(p));
    if (Math.fround(v) === x) return String(v);
  }
  return String(Number(x.toPrecision(9)));
}

/**
 * The word2vec text format of word2vec.c (`-binary 0`) and gensim (`save_word2vec_format(binary=False)`): a
 * `V D` header line, then one line per word: the word and its D values separated by spaces.
 *
 * @example
 * ```ts run
 * import { WordVectors, formatWord2VecText, parseWord2VecText } from '@elman/text';
 *
 * const wv = new WordVectors(['whale', 'ship'], Float32Array.from([0.1, 0.2, 0.3, 0.4]), 2);
 * const text = formatWord2VecText(wv, { decimals: 3 }); // '2 2\nwhale 0.100 0.200\nship 0.300 0.400\n'
 * console.log(text, parseWord2VecText(text).vector('ship')); // gensim's KeyedVectors.load_word2vec_format reads it too
 * ```
 */
export function formatWord2VecText(wv: WordVectors, options: TextFormatOptions = {}): string {
  const { decimals } = options;
  if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 100)) {
    throw new ValueError(`formatWord2VecText: decimals must be an integer in [0, 100], got ${decimals}`);
  }
  const D = wv.vectorSize;
  const v = wv.vectors;
  const lines: string[] = [`${wv.size} ${D}`];
  const parts: string[] = new Array(D + 1);
  for (let r = 0; r < wv.size; r++) {
    const word = wv.words[r]!;
    checkWord('formatWord2VecText', word, r);
    parts[0] = word;
    for (let k = 0; k < D; k++) {
      const x = v[r * D + k]!;
      parts[k + 1] = decimals === undefined ? float32ToString(x) : x.toFixed(decimals);
    }
    lines.push(parts.join(' '));
  }
  lines.push('');
  return lines.join('\n');
}

function parseHeader(op: string, line: string): [number, number] {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
  if (!m) throw new SerializationError(`${op}: the first line must be 'V D' (vocabulary size, vector size), got ${JSON.stringify(line.slice(0, 80))}`);
  const V = Number(m[1]);
  const D = Number(m[2]);
  if (D === 0) throw new SerializationError(`${op}: the vector size in the header is 0`);
  return [V, D];
}

/** Reads the word2vec text format ({@link formatWord2VecText}); any inconsistency is a `SerializationError`. */
export function parseWord2VecText(text: string): WordVectors {
  const op = 'parseWord2VecText';
  const lines = text.split('\n');
  // A final newline leaves one empty string; blank trailing lines are tolerated, nothing else is.
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const [V, D] = parseHeader(op, lines[0] ?? '');
  if (lines.length - 1 !== V) {
    throw new SerializationError(`${op}: the header announces ${V} words but the file has ${lines.length - 1} lines of vectors`);
  }
  const words: string[] = new Array(V);
  const vectors = new Float32Array(V * D); // [V, D]
  for (let r = 0; r < V; r++) {
    const line = lines[r + 1]!.trimEnd();
    const parts = line.split(' ');
    if (parts.length !== D + 1) {
      throw new SerializationError(`${op}: line ${r + 2} has ${parts.length - 1} values after the word, expected ${D}`);
    }
    words[r] = parts[0]!;
    if (words[r] === '') throw new SerializationError(`${op}: line ${r + 2} has an empty word`);
    for (let k = 0; k < D; k++) {
      const s = parts[k + 1]!;
      const x = Number(s);
      if (s === '' || !Number.isFinite(x)) throw new SerializationError(`${op}: line ${r + 2}, value ${k + 1} is not a finite number: ${JSON.stringify(s)}`);
      vectors[r * D + k] = x;
    }
  }
  return wrap(op, words, vectors, D);
}

/**
 * The word2vec binary format of word2vec.c (`-binary 1`) and gensim (`binary=True`): the ASCII header line
 * `V D\n`, then per word its UTF-8 bytes, a space, D little-endian float32 values and a newline.
 */
export function formatWord2VecBinary(wv: WordVectors): Uint8Array {
  const enc = new TextEncoder();
  const D = wv.vectorSize;
  const header = enc.encode(`${wv.size} ${D}\n`);
  const encoded = wv.words.map((w, r) => {
    checkWord('formatWord2VecBinary', w, r);
    return enc.encode(w);
  });
  let total = header.length;
  for (const e of encoded) total += e.length + 2 + 4 * D;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(header, 0);
  let pos = header.length;
  const v = wv.vectors;
  for (let r = 0; r < encoded.length; r++) {
    out.set(encoded[r]!, pos);
    pos += encoded[r]!.length;
    out[pos++] = SPACE;
    for (let k = 0; k < D; k++, pos += 4) view.setFloat32(pos, v[r * D + k]!, true);
    out[pos++] = NEWLINE;
  }
  return out;
}

function isSpace(b: number): boolean {
  return b === SPACE || b === NEWLINE || b === 0x0d || b === 0x09;
}

/**
 * Reads the word2vec binary format ({@link formatWord2VecBinary}), also files written by word2vec.c and gensim
 * (whitespace before each word is skipped, the newline after each vector is optional). A truncated or malformed
 * file, a word that is not UTF-8, a non-finite value or trailing data is a `SerializationError`.
 */
export function parseWord2VecBinary(bytes: Uint8Array): WordVectors {
  const op = 'parseWord2VecBinary';
  const nl = bytes.indexOf(NEWLINE);
  if (nl < 0 || nl > 64) throw new SerializationError(`${op}: no 'V D' header line at the start of the ${bytes.length}-byte file`);
  const [V, D] = parseHeader(op, new TextDecoder().decode(bytes.subarray(0, nl)));
  // Each word takes at least one byte, a space and 4·D bytes: reject impossible headers before allocating.
  if (V * (2 + 4 * D) > bytes.length - nl - 1) {
    throw new SerializationError(`${op}: the header announces ${V} words of ${D} floats but only ${bytes.length - nl - 1} bytes follow`);
  }
  const dec = new TextDecoder('utf-8', { fatal: true });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words: string[] = new Array(V);
  const vectors = new Float32Array(V * D); // [V, D]
  let pos = nl + 1;
  for (let r = 0; r < V; r++) {
    while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
    const start = pos;
    while (pos < bytes.length && bytes[pos] !== SPACE) pos++;
    if (pos >= bytes.length) throw new SerializationError(`${op}: truncated in word ${r} of ${V} (no space after the word)`);
    try {
      words[r] = dec.decode(bytes.subarray(start, pos));
    } catch {
      throw new SerializationError(`${op}: word ${r} at byte ${start} is not valid UTF-8`);
    }
    pos++;
    if (pos + 4 * D > bytes.length) {
      throw new SerializationError(`${op}: truncated in the vector of word ${r} '${words[r]}' (${bytes.length - pos} of ${4 * D} bytes)`);
    }
    for (let k = 0; k < D; k++, pos += 4) {
      const x = view.getFloat32(pos, true);
      if (!Number.isFinite(x)) throw new SerializationError(`${op}: value ${k} of word ${r} '${words[r]}' is ${x}`);
      vectors[r * D + k] = x;
    }
  }
  while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
  if (pos !== bytes.length) throw new SerializationError(`${op}: ${bytes.length - pos} bytes of trailing data after the ${V} announced words`);
  return wrap(op, words, vectors, D);
}

function wrap(op: string, words: string[], vectors: Float32Array, D: number): WordVectors {
  try {
    return new WordVectors(words, vectors, D);
  } catch (err) {
    throw new SerializationError(`${op}: ${(err as Error).message}`);
  }
}
