import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkBuilder } from '../word2vec/corpus.js';
import { EXP_SCALE, MAX_EXP, buildExpTable } from '../word2vec/exp-table.js';
import type { KernelState } from '../word2vec/kernel.js';
import { toWasmState } from '../word2vec/kernel-state.js';
import { Word2Vec } from '../word2vec/word2vec.js';
import { HogwildSink, WorkerError } from './hogwild.js';
import { readSentences } from './read-sentences.js';

// Worker threads over the flat-array kernel; no tensor backend involved.

/** 20 topics of 6 words, 8 words per sentence, each sentence within one topic. */
function topicalCorpus(sentences: number): string[][] {
  let x = 1;
  const out: string[][] = [];
  for (let s = 0; s < sentences; s++) {
    const t = s % 20;
    out.push(
      Array.from({ length: 8 }, () => {
        x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
        return `t${t}w${(x >>> 8) % 6}`;
      }),
    );
  }
  return out;
}

function sharedState(over: Partial<KernelState> = {}): KernelState {
  const shared = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
  return {
    cbow: false,
    hs: false,
    negative: 1,
    window: 1,
    dim: 2,
    vocabSize: 2,
    syn0: shared(4),
    syn1: shared(0),
    syn1neg: shared(4),
    expTable: buildExpTable(),
    maxExp: MAX_EXP,
    expScale: EXP_SCALE,
    keep: Float64Array.of(2, 2),
    noiseProb: Float64Array.of(1, 1),
    noiseAlias: Int32Array.of(0, 1),
    codes: new Uint8Array(0),
    points: new Int32Array(0),
    codeOffsets: new Int32Array(3),
    neu1: new Float32Array(2),
    neu1e: new Float32Array(2),
    sentence: new Int32Array(1000),
    rng: Int32Array.of(1),
    ...over,
  };
}

/** {@link sharedState} in the wasm kernel's shared memory, with scratch for two workers. */
function wasmState(): KernelState {
  return toWasmState(sharedState(), { workers: 2, chunkCapacity: 100 })!;
}

function chunkOf(sentences: string[][], index = new Map([['a', 0], ['b', 1]])): ChunkBuilder {
  const b = new ChunkBuilder(index, 100);
  for (const s of sentences) b.append(s, 0);
  return b;
}

describe('Hogwild training on worker threads', () => {
  it.each(['wasm', 'js'] as const)('trains with two workers over shared weights and learns the topics (%s kernel)', async (kernel) => {
    const corpus = topicalCorpus(4000);
    for (const architecture of ['cbow', 'skipgram'] as const) {
      const m = new Word2Vec({ architecture, workers: 2, minCount: 1, vectorSize: 16, window: 3, epochs: 3, seed: 1, kernel });
      const stats = await m.train(corpus);
      expect(m.kernel).toBe(kernel);
      expect(stats.corpusWords).toBe(3 * 4000 * 8);
      // Each word is 1/120 of the corpus, so subsampling keeps (√(8.3) + 1) / 8.3 ≈ 47% of it.
      expect(stats.trainedWords / stats.words).toBeCloseTo(0.47, 1);
      expect(m.vectors.buffer).toBeInstanceOf(SharedArrayBuffer);
      // Mean cosine within and across topics; one worker measures 0.998 and 0.40 on this corpus, two workers the same.
      let within = 0;
      let across = 0;
      for (let t = 0; t < 20; t++) {
        for (let i = 0; i < 6; i++) {
          for (let j = i + 1; j < 6; j++) within += m.similarity(`t${t}w${i}`, `t${t}w${j}`) / (20 * 15);
          across += m.similarity(`t${t}w${i}`, `t${(t + 1) % 20}w${i}`) / (20 * 6);
        }
      }
      expect(within - across).toBeGreaterThan(0.4);
    }
  });

  it('trains with two workers from a file streamed line by line', async () => {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'elman-text-'));
    try {
      const path = join(dir, 'corpus.txt');
      await fsp.writeFile(path, topicalCorpus(3000).map((s) => s.join(' ')).join('\n'));
      const m = new Word2Vec({ workers: 2, minCount: 1, vectorSize: 8, epochs: 2, seed: 1 });
      const stats = await m.train(readSentences(path));
      expect(m.size).toBe(120);
      expect(stats.corpusWords).toBe(2 * 3000 * 8);
      expect(stats.words).toBe(stats.corpusWords);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['js', sharedState],
    ['wasm', wasmState],
  ] as const)('hands chunks to the workers and counts what they trained (%s kernel)', async (_, make) => {
    const state = make();
    state.syn0.set([0.1, 0.2, 0.3, 0.4]);
    const sink = await HogwildSink.start({ state, workers: 2 });
    try {
      for (let i = 0; i < 10; i++) await sink.submit(chunkOf([['a', 'b', 'a'], ['b', 'a']]), 0.1);
      await sink.drain();
      expect(sink.trainedWords).toBe(50);
      // The workers wrote into the shared output weights.
      expect(Array.from(state.syn1neg).some((v) => v !== 0)).toBe(true);
    } finally {
      await sink.close();
    }
  });

  it('rejects with the worker error when a worker throws, and does not hang', async () => {
    // A state without its sentence buffer makes the kernel throw inside the worker.
    const sink = await HogwildSink.start({ state: sharedState({ sentence: null as never }), workers: 2 });
    try {
      const run = async () => {
        for (let i = 0; i < 10; i++) await sink.submit(chunkOf([['a', 'b']]), 0.1);
        await sink.drain();
      };
      await expect(run()).rejects.toThrow(WorkerError);
      await expect(sink.drain()).rejects.toThrow(/Word2Vec worker failed: TypeError/);
    } finally {
      await sink.close();
    }
  });

  it('rejects with the worker error when the wasm kernel traps in a worker, and does not hang', async () => {
    const sink = await HogwildSink.start({ state: wasmState(), workers: 2 });
    try {
      // Word id 2^28 reads its keep probability 2 GiB past the memory: the wasm kernel traps.
      const bad = new Map([['a', 0], ['b', 2 ** 28]]);
      const run = async () => {
        for (let i = 0; i < 10; i++) await sink.submit(chunkOf([['a', 'b']], bad), 0.1);
        await sink.drain();
      };
      await expect(run()).rejects.toThrow(WorkerError);
      await expect(sink.drain()).rejects.toThrow(/Word2Vec worker failed: RuntimeError: memory access out of bounds/);
    } finally {
      await sink.close();
    }
  });

  it('refuses a wasm kernel without a scratch region per worker', async () => {
    await expect(HogwildSink.start({ state: wasmState(), workers: 3 })).rejects.toThrow(/3 workers need 4/);
  });

  it('refuses weights that are not in SharedArrayBuffers', async () => {
    await expect(HogwildSink.start({ state: sharedState({ syn0: new Float32Array(4) }), workers: 2 })).rejects.toThrow(
      /syn0 is not in a SharedArrayBuffer/,
    );
  });
});

describe('Hogwild workers under an ES-module eval parent', () => {
  it('train when the parent runs `node --input-type=module -e` (eval workers are then ES modules, without require)', () => {
    const script = `
      import { Word2Vec } from '@elman/text';
      const corpus = Array.from({ length: 400 }, (_, s) => Array.from({ length: 8 }, (_, i) => 't' + (s % 20) + 'w' + ((s * 7 + i * 3) % 6)));
      for (const kernel of ['wasm', 'js']) {
        const model = new Word2Vec({ vectorSize: 8, window: 2, minCount: 1, epochs: 2, workers: 2, seed: 1, kernel });
        const stats = await model.train(corpus);
        console.log(kernel, stats.trainedWords > 0);
      }`;
    // Runs the built package (pnpm test builds first), from this package's folder so '@elman/text' resolves to it.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['wasm true', 'js true']);
  });
});

