import { describe, expect, it, vi } from 'vitest';
import { matmul } from '../../ops/linalg/matmul.js';
import { tensor } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { getBackend, listBackends, ready, setBackend } from '../registry.js';
import { detectWasmVariant } from './detect.js';
import { type WasmBackend, createWasmBackend, setWasmThreads } from './index.js';

describe('wasm backend registration', () => {
  it('is registered above js and becomes the default after ready()', async () => {
    expect(listBackends().indexOf('wasm')).toBeLessThan(listBackends().indexOf('js'));
    await ready();
    const backend = getBackend() as WasmBackend;
    expect(backend.name).toBe('wasm');
    expect(backend.variant).toBe(detectWasmVariant());
    // Ops now run on it.
    expect(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray()).toEqual([[11]]);
    await setBackend('js');
    expect(getBackend().name).toBe('js');
  });

  it('can be forced to SIMD128, e.g. for identical rounding on every machine', async () => {
    const backend = await createWasmBackend({ variant: 'simd' });
    expect(backend.variant).toBe('simd');
    expect(backend.name).toBe('wasm');
  });

  it('takes the build from ELMAN_WASM_VARIANT when no option names one, and rejects unknown names', async () => {
    const saved = process.env.ELMAN_WASM_VARIANT;
    try {
      process.env.ELMAN_WASM_VARIANT = 'simd';
      expect((await createWasmBackend()).variant).toBe('simd');
      process.env.ELMAN_WASM_VARIANT = 'avx512';
      await expect(createWasmBackend()).rejects.toThrow(
        /^createWasmBackend: ELMAN_WASM_VARIANT must be 'simd' or 'relaxed-simd', got 'avx512'$/,
      );
    } finally {
      if (saved === undefined) delete process.env.ELMAN_WASM_VARIANT;
      else process.env.ELMAN_WASM_VARIANT = saved;
    }
  });

  it('rejects an arena limit outside 1 MiB to 2 GiB with a ValueError naming the option', async () => {
    for (const bad of [1000, 2 ** 32, Number.NaN]) {
      await expect(createWasmBackend({ maxArenaBytes: bad })).rejects.toThrow(ValueError);
      await expect(createWasmBackend({ maxArenaBytes: bad })).rejects.toThrow(
        new RegExp(`^createWasmBackend: maxArenaBytes must be between 1048576 and 2147483648, got ${bad}$`),
      );
    }
  });
});

describe('wasm backend GEMM threads (opt-in)', () => {
  it('defaults to one thread', async () => {
    const backend = await createWasmBackend();
    expect(backend.threads).toBe(1);
    await backend.dispose(); // a no-op without threads
    expect(backend.threads).toBe(1);
  });

  it('rejects a thread count that is not an integer from 1 to 64, and a negative parallelMinWork, naming the option', async () => {
    for (const bad of [0, 1.5, 65, Number.NaN]) {
      await expect(createWasmBackend({ threads: bad })).rejects.toThrow(ValueError);
      await expect(createWasmBackend({ threads: bad })).rejects.toThrow(
        new RegExp(`^createWasmBackend: threads must be an integer from 1 to 64, got ${bad}$`),
      );
    }
    expect(() => setWasmThreads(100)).toThrow(/^setWasmThreads: threads must be an integer from 1 to 64, got 100$/);
    await expect(createWasmBackend({ parallelMinWork: -1 })).rejects.toThrow(
      /^createWasmBackend: parallelMinWork must be a non-negative number, got -1$/,
    );
  });

  it('takes the threads from the option, else setWasmThreads, else ELMAN_WASM_THREADS; dispose ends them', async () => {
    const saved = process.env.ELMAN_WASM_THREADS;
    try {
      process.env.ELMAN_WASM_THREADS = '2';
      const fromEnv = await createWasmBackend();
      expect(fromEnv.threads).toBe(2);
      await fromEnv.dispose();
      expect(fromEnv.threads).toBe(1);
      process.env.ELMAN_WASM_THREADS = 'two';
      await expect(createWasmBackend()).rejects.toThrow(
        /^createWasmBackend: ELMAN_WASM_THREADS must be an integer from 1 to 64, got two$/,
      );
      setWasmThreads(1); // wins over the environment
      expect((await createWasmBackend()).threads).toBe(1);
      const fromOption = await createWasmBackend({ threads: 2 }); // wins over both
      expect(fromOption.threads).toBe(2);
      await fromOption.dispose();
    } finally {
      if (saved === undefined) delete process.env.ELMAN_WASM_THREADS;
      else process.env.ELMAN_WASM_THREADS = saved;
    }
  });

  it('runs on one thread where threads are unavailable (no SharedArrayBuffer: a page without cross-origin isolation)', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      const backend = await createWasmBackend({ threads: 2 });
      expect(backend.threads).toBe(1);
      const C = new Float32Array(4);
      backend.gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), 0, 1, Float32Array.of(3, 4), 0, 2, 0, C, 0, 2);
      expect(Array.from(C)).toEqual([3, 4, 6, 8]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('runs the other kernels over the shared memory exactly as over its own', async () => {
    const one = await createWasmBackend({ delegateSmallCalls: false });
    const two = await createWasmBackend({ delegateSmallCalls: false, threads: 2 });
    const x = new Generator(11).fillNormal(new Float32Array(64 * 70)); // [64, 70]
    const [a, b] = [one, two].map((backend) => {
      const t = new Float32Array(x.length);
      const s = new Float32Array(x.length);
      backend.unary('tanh', x, t);
      backend.softmax(x, 64, 70, 1, true, s);
      return [t, s];
    });
    expect(b).toEqual(a);
    await two.dispose();
  });
});
