import { describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { createJsBackend } from '../js/index.js';
import { CHUNK } from './elementwise.js';
import { Arena } from './arena.js';
import { createWasmBackend } from './index.js';

const PAGE = 65536;

describe('wasm arena memory', () => {
  it('over a shared memory (GEMM threads) re-reads the buffer after growing: its view covers the new pages', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 64, shared: true });
    const arena = new Arena(memory, 1000, 2 ** 22);
    const before = arena.f32;
    before[300] = 7;
    expect(arena.reserve(5 * PAGE)).toBe(true);
    expect(memory.buffer.byteLength).toBe(6 * PAGE); // base 1008 + 5 pages
    expect(arena.f32.length * 4).toBe(6 * PAGE);
    expect(arena.f32[300]).toBe(7);
    // A shared buffer never detaches: the old view still works, but only over the memory's old length.
    expect(before.length * 4).toBe(PAGE);
  });

  it('stops growing once the largest working set has been seen: 10,000 mixed kernel calls', async () => {
    const wasm = await createWasmBackend({ delegateSmallCalls: false });
    const gen = new Generator(11);
    const MAX = 96;
    const A = gen.fillNormal(new Float32Array(MAX * MAX));
    const B = gen.fillNormal(new Float32Array(MAX * MAX));
    const C = new Float32Array(MAX * MAX);
    const x = gen.fillNormal(new Float32Array(2 * CHUNK));
    const y = new Float32Array(2 * CHUNK);
    // The largest call of each kind first: after these, steady state.
    wasm.gemm(false, false, MAX, MAX, MAX, 1, A, 0, MAX, B, 0, MAX, 0, C, 0, MAX);
    wasm.unary('tanh', x, y);
    wasm.binary('add', x, [x.length], y, [y.length], y, [y.length]);
    wasm.softmax(x, 1, 2 * CHUNK, 1, false, y);
    const steady = wasm.memoryBytes;
    for (let i = 0; i < 10_000; i++) {
      const M = 1 + gen.randint(MAX);
      const N = 1 + gen.randint(MAX);
      const K = 1 + gen.randint(MAX);
      const tA = gen.randint(2) === 1;
      const tB = gen.randint(2) === 1;
      wasm.gemm(tA, tB, M, N, K, 1, A, 0, tA ? M : K, B, 0, tB ? K : N, 0, C, 0, N);
      if (i % 10 === 0) {
        const n = 1 + gen.randint(x.length);
        wasm.unary('sigmoid', x.subarray(0, n), y.subarray(0, n));
        wasm.softmax(x, 1, n, 1, true, y);
      }
      expect(wasm.memoryBytes).toBe(steady);
    }
    // And that steady state is the working set (three 36 KiB matrices plus packing), not an accumulation.
    expect(steady).toBeLessThanOrEqual(8 * PAGE);
  });

  it('keeps every call within maxArenaBytes: GEMMs run as row blocks, other kernels fall back to js', async () => {
    const limit = 2 ** 20;
    const wasm = await createWasmBackend({ maxArenaBytes: limit });
    const js = createJsBackend();
    const gen = new Generator(12);
    const [M, N, K] = [600, 300, 300]; // ~1.8 MiB of operands
    const A = gen.fillNormal(new Float32Array(M * K));
    const B = gen.fillNormal(new Float32Array(K * N));
    const got = new Float32Array(M * N);
    const want = new Float32Array(M * N);
    wasm.gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, got, 0, N);
    js.gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, want, 0, N);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).toBeLessThan(1e-3); // |C| ~ √300 ≈ 17; float32 sums over 300 terms
    expect(wasm.memoryBytes).toBeLessThanOrEqual(limit + 2 * PAGE);

    // A transposed A cannot be split by rows: the whole product runs in JS, bit for bit.
    wasm.gemm(true, false, K, N, M, 1, A, 0, K, A, 0, K, 0, got, 0, N);
    js.gemm(true, false, K, N, M, 1, A, 0, K, A, 0, K, 0, want, 0, N);
    expect(got.subarray(0, K * N)).toEqual(want.subarray(0, K * N));

    // Element-wise work is chunked, so arbitrarily long arrays fit.
    const x = gen.fillNormal(new Float32Array(limit));
    const y = new Float32Array(limit);
    wasm.unary('exp', x, y);
    expect(y[limit - 1]).toBeCloseTo(Math.exp(x[limit - 1]!), 5);
    expect(wasm.memoryBytes).toBeLessThanOrEqual(limit + 2 * PAGE);
  });
});
