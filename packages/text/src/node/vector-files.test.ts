import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerializationError } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WordVectors } from '../word2vec/word-vectors.js';
import { evaluateAnalogiesFile, loadWord2VecFile, saveWord2VecFile } from './vector-files.js';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'elman-text-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const wv = () =>
  new WordVectors(['king', 'queen', 'man', 'woman'], Float32Array.of(1, 1, 0, 1, -1, 0, 0, 1, 0.1, 0, -1, 0.1), 3);

// The analogy evaluation scores through the backend's GEMM.
describe.each(testBackends())('word2vec files (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('saves and loads the text format, and the binary format for .bin paths', async () => {
    for (const name of ['vectors.txt', 'vectors.bin']) {
      const path = join(dir, name);
      await saveWord2VecFile(path, wv());
      const head = (await fsp.readFile(path)).subarray(0, 6).toString('latin1');
      expect(head).toBe('4 3\nki');
      const back = await loadWord2VecFile(path);
      expect(back.words).toEqual(wv().words);
      expect(Array.from(back.vectors)).toEqual(Array.from(wv().vectors));
    }
    // The binary option overrides the extension.
    const forced = join(dir, 'vectors.w2v');
    await saveWord2VecFile(forced, wv(), { binary: true });
    expect(Array.from((await loadWord2VecFile(forced, { binary: true })).vectors)).toEqual(Array.from(wv().vectors));
    await expect(loadWord2VecFile(forced)).rejects.toThrow(SerializationError);
  });

  it('writes C-style fixed decimals on request', async () => {
    const path = join(dir, 'vectors.txt');
    await saveWord2VecFile(path, wv(), { decimals: 6 });
    expect((await fsp.readFile(path, 'utf8')).split('\n')[1]).toBe('king 1.000000 1.000000 0.000000');
  });

  it('evaluates an analogy question file', async () => {
    const path = join(dir, 'questions-words.txt');
    await fsp.writeFile(path, ': royalty\nman king woman queen\nking man queen woman\n');
    const r = await evaluateAnalogiesFile(wv(), path);
    expect([r.correct, r.total, r.accuracy]).toEqual([2, 2, 1]);
  });
});
