import { describe, expect, it } from 'vitest';
import { matmul } from '../../ops/linalg/matmul.js';
import { tensor } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { getBackend, listBackends, ready, setBackend } from '../registry.js';
import { detectWasmVariant } from './detect.js';
import { type WasmBackend, createWasmBackend } from './index.js';

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
