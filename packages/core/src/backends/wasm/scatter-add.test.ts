import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { gather as jsGather, scatterAdd as jsScatterAdd } from '../js/gather.js';
import { type WasmBackend, createWasmBackend } from './index.js';

describe.each(['simd', 'relaxed-simd'] as const)('wasm embedding gather / scatter-add (%s)', (variant) => {
  let wasm: WasmBackend;
  let delegating: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
    delegating = await createWasmBackend({ variant });
  });

  it.each([
    [7, 1, 20],
    [5, 3, 40],
    [50, 37, 300], // row tail past the vectors
    [100, 64, 2000], // many lookups into a small table: the case the wasm kernel is for
  ])('scatter-adds %i rows of %i floats from %i lookups like the js kernel, repeated ids accumulating', (V, E, N) => {
    const gen = new Generator(V + E + N);
    const src = gen.fillNormal(new Float32Array(N * E), 0, 1);
    const ids = new Int32Array(N);
    for (let j = 0; j < N; j++) ids[j] = j % 3 === 0 ? 1 : gen.randint(V); // row 1 is hit many times
    const base = gen.fillNormal(new Float32Array(V * E), 0, 1); // accumulates onto what is there
    const want = base.slice();
    jsScatterAdd(src, 1, V, E, ids, N, true, want);
    for (const backend of [wasm, delegating]) {
      const got = base.slice();
      backend.scatterAdd(src, 1, V, E, ids, N, true, got);
      // Same additions in the same order per element: float32 results agree exactly.
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('gathers long rows (copied with set) and short rows like an element loop', () => {
    const gen = new Generator(4);
    for (const E of [3, 31, 32, 100]) {
      const V = 9;
      const w = gen.fillNormal(new Float32Array(V * E), 0, 1);
      const ids = Int32Array.from([8, 0, 3, 3, 7]);
      const out = new Float32Array(ids.length * E);
      wasm.gather(w, 1, V, E, ids, ids.length, true, out);
      for (let j = 0; j < ids.length; j++) {
        expect(Array.from(out.subarray(j * E, (j + 1) * E))).toEqual(Array.from(w.subarray(ids[j]! * E, (ids[j]! + 1) * E)));
      }
      const viaJs = new Float32Array(out.length);
      jsGather(w, 1, V, E, ids, ids.length, true, viaJs);
      expect(Array.from(viaJs)).toEqual(Array.from(out));
    }
  });
});
