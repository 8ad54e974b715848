import { SerializationError, ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { WordVectors } from './word-vectors.js';
import { formatWord2VecBinary, formatWord2VecText, parseWord2VecBinary, parseWord2VecText } from './word2vec-format.js';

// Pure byte/text formats; no tensor backend involved.

const sample = () =>
  new WordVectors(['</s>', 'the', 'walfänger', '鯨'], Float32Array.of(0.1, -0.2, 1e-7, 3.5, -0.30000001192092896, 123456.7890625, 0, -1e-30), 2);

/** The bytes word2vec.c writes with `-binary 1`: `fprintf("%lld %lld\n")`, then per word `fprintf("%s ")`, raw floats, `fprintf("\n")`. */
function cLayout(words: string[], vectors: number[][]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode(`${words.length} ${vectors[0]!.length}\n`)];
  words.forEach((w, i) => {
    parts.push(enc.encode(`${w} `));
    const f = new Uint8Array(4 * vectors[i]!.length);
    const view = new DataView(f.buffer);
    for (let k = 0; k < vectors[i]!.length; k++) view.setFloat32(4 * k, vectors[i]![k]!, true);
    parts.push(f, enc.encode('\n'));
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

describe('word2vec text format', () => {
  it('round-trips exactly with the default shortest float32 decimals', () => {
    const wv = sample();
    const text = formatWord2VecText(wv);
    expect(text.split('\n')[0]).toBe('4 2');
    expect(text.split('\n')[1]).toBe('</s> 0.1 -0.2');
    const back = parseWord2VecText(text);
    expect(back.words).toEqual(wv.words);
    expect(Array.from(back.vectors)).toEqual(Array.from(wv.vectors));
  });

  it("writes word2vec.c's %lf style with decimals: 6, within 5e-7 on the way back", () => {
    const wv = sample();
    const text = formatWord2VecText(wv, { decimals: 6 });
    expect(text.split('\n')[2]).toBe('the 0.000000 3.500000');
    const back = parseWord2VecText(text);
    for (let i = 0; i < wv.vectors.length; i++) expect(Math.abs(back.vectors[i]! - wv.vectors[i]!)).toBeLessThanOrEqual(5e-7 * Math.max(1, Math.abs(wv.vectors[i]!)));
  });

  it('reads the C tool text output: trailing spaces, CRLF, final blank lines', () => {
    const wv = parseWord2VecText('2 3\r\n</s> 0.001 -0.002 0.003 \r\nking 1.000000 2.000000 -3.500000 \r\n\r\n');
    expect(wv.words).toEqual(['</s>', 'king']);
    expect(Array.from(wv.vector('king'))).toEqual([1, 2, -3.5]);
  });

  it('rejects corrupted text with a SerializationError naming the line', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /first line must be 'V D'/],
      ['two three\na 1\n', /first line must be 'V D'/],
      ['2 0\n', /vector size in the header is 0/],
      ['2 2\na 1 2\n', /announces 2 words but the file has 1 lines/],
      ['1 2\na 1\n', /line 2 has 1 values after the word, expected 2/],
      ['1 2\na 1 x\n', /line 2, value 2 is not a finite number: "x"/],
      ['1 2\na 1 NaN\n', /not a finite number/],
      ['2 1\na 1\na 2\n', /duplicate word 'a'/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseWord2VecText(text)).toThrow(SerializationError);
      expect(() => parseWord2VecText(text)).toThrow(message);
    }
  });

  it('refuses to write a word the format cannot hold', () => {
    expect(() => formatWord2VecText(new WordVectors(['a b'], Float32Array.of(1), 1))).toThrow(ValueError);
    expect(() => formatWord2VecText(sample(), { decimals: -1 })).toThrow(/decimals/);
  });
});

describe('word2vec binary format', () => {
  it('round-trips exactly', () => {
    const wv = sample();
    const back = parseWord2VecBinary(formatWord2VecBinary(wv));
    expect(back.words).toEqual(wv.words);
    expect(Array.from(back.vectors)).toEqual(Array.from(wv.vectors));
  });

  it('writes the C tool layout byte for byte', () => {
    const words = ['</s>', 'whale', 'Ahab'];
    const vectors = [
      [0.5, -0.25, 2],
      [1e-3, 7, -8],
      [0, 0.125, 3.75],
    ];
    expect(formatWord2VecBinary(new WordVectors(words, Float32Array.from(vectors.flat()), 3))).toEqual(cLayout(words, vectors));
  });

  it('loads a hand-written file in the C layout', () => {
    const bytes = cLayout(['</s>', 'whale', 'mörder'], [
      [0.5, -0.25],
      [1.5, 2],
      [-3, 0.0625],
    ]);
    const wv = parseWord2VecBinary(bytes);
    expect(wv.words).toEqual(['</s>', 'whale', 'mörder']);
    expect(Array.from(wv.vectors)).toEqual([0.5, -0.25, 1.5, 2, -3, 0.0625]);
  });

  it('accepts files without the newline after each vector (gensim and others read both)', () => {
    const enc = new TextEncoder();
    const f = new Uint8Array(4);
    new DataView(f.buffer).setFloat32(0, 1.25, true);
    const bytes = new Uint8Array([...enc.encode('2 1\n'), ...enc.encode('a '), ...f, ...enc.encode('b '), ...f]);
    expect(Array.from(parseWord2VecBinary(bytes).vectors)).toEqual([1.25, 1.25]);
    // Any byte offset into a larger buffer works too.
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(parseWord2VecBinary(padded.subarray(3)).words).toEqual(['a', 'b']);
  });

  it('rejects corrupted files with a SerializationError', () => {
    const good = cLayout(['a', 'b'], [
      [1, 2],
      [3, 4],
    ]);
    const nanFile = cLayout(['a'], [[Number.NaN, 1]]);
    const badUtf8 = new Uint8Array([...new TextEncoder().encode('1 1\n'), 0xff, 0xfe, 0x20, 0, 0, 128, 63, 10]);
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /no 'V D' header line/],
      [new TextEncoder().encode('x y\n'), /first line must be 'V D'/],
      [good.subarray(0, good.length - 2), /truncated in the vector of word 1 'b' \(7 of 8 bytes\)/],
      [good.subarray(0, 16), /announces 2 words of 2 floats but only 12 bytes follow/],
      [new TextEncoder().encode('1 1\nabcdefgh'), /truncated in word 0 of 1 \(no space after the word\)/],
      [new TextEncoder().encode('1000000 100\nabc '), /announces 1000000 words of 100 floats but only 4 bytes follow/],
      [new Uint8Array([...good, ...new TextEncoder().encode('extra')]), /5 bytes of trailing data/],
      [nanFile, /value 0 of word 0 'a' is NaN/],
      [badUtf8, /word 0 at byte 4 is not valid UTF-8/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => parseWord2VecBinary(bytes)).toThrow(SerializationError);
      expect(() => parseWord2VecBinary(bytes)).toThrow(message);
    }
  });
});
