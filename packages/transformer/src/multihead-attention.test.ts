import { Generator, ShapeError, ValueError, randn, tensor } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { MultiheadAttention } from './multihead-attention.js';

function shapes(m: MultiheadAttention): Record<string, readonly number[]> {
  return Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));
}

describe.each(testBackends())('MultiheadAttention (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it("has torch's state-dict keys and shapes (packed, separate kdim/vdim, no bias)", () => {
    expect(shapes(new MultiheadAttention({ embedDim: 8, numHeads: 2 }))).toEqual({
      in_proj_weight: [24, 8],
      in_proj_bias: [24],
      'out_proj.weight': [8, 8],
      'out_proj.bias': [8],
    });
    expect(shapes(new MultiheadAttention({ embedDim: 8, numHeads: 4, kdim: 5, vdim: 6 }))).toEqual({
      q_proj_weight: [8, 8],
      k_proj_weight: [8, 5],
      v_proj_weight: [8, 6],
      in_proj_bias: [24],
      'out_proj.weight': [8, 8],
      'out_proj.bias': [8],
    });
    expect(Object.keys(new MultiheadAttention({ embedDim: 6, numHeads: 3, bias: false }).stateDict())).toEqual([
      'in_proj_weight',
      'out_proj.weight',
    ]);
  });

  it('initialises like torch: Xavier-uniform projections, zero biases; the same generator gives the same weights', () => {
    const m = new MultiheadAttention({ embedDim: 16, numHeads: 4, generator: new Generator(3) });
    const bound = Math.sqrt(6 / (16 + 48));
    const w = m.in_proj_weight!.data;
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(m.in_proj_bias!.data.every((v) => v === 0)).toBe(true);
    expect(m.out_proj.bias!.data.every((v) => v === 0)).toBe(true);
    const again = new MultiheadAttention({ embedDim: 16, numHeads: 4, generator: new Generator(3) });
    expect(Array.from(again.in_proj_weight!.data)).toEqual(Array.from(w));
  });

  it('returns weights that sum to 1 over unmasked keys and are exactly 0 on masked ones, averaged or per head', () => {
    const m = new MultiheadAttention({ embedDim: 8, numHeads: 2 });
    const q = randn([2, 3, 8]);
    const kv = randn([2, 4, 8]);
    const keyPaddingMask = tensor([[0, 0, 0, 1], [0, 1, 1, 0]], undefined, { dtype: 'int32' });
    const attnMask = [
      [false, false, true, false],
      [false, false, false, false],
      [true, false, false, false],
    ];
    const masked = (b: number, i: number, j: number) => keyPaddingMask.data[b * 4 + j] === 1 || attnMask[i]![j]!;
    const averaged = m.forward(q, kv, kv, { keyPaddingMask, attnMask });
    expect(averaged.context.shape).toEqual([2, 3, 8]);
    expect(averaged.weights!.shape).toEqual([2, 3, 4]);
    const perHead = m.forward(q, kv, kv, { keyPaddingMask, attnMask, averageWeights: false });
    expect(perHead.weights!.shape).toEqual([2, 2, 3, 4]);
    expect(Array.from(perHead.context.data)).toEqual(Array.from(averaged.context.data));
    const check = (w: number[], b: number, i: number) => {
      let sum = 0;
      w.forEach((v, j) => {
        if (masked(b, i, j)) expect(v).toBe(0);
        else expect(v).toBeGreaterThan(0);
        sum += v;
      });
      expect(sum).toBeCloseTo(1, 6);
    };
    const wa = averaged.weights!.toArray() as number[][][];
    const wh = perHead.weights!.toArray() as number[][][][];
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 3; i++) {
        check(wa[b]![i]!, b, i);
        for (let h = 0; h < 2; h++) check(wh[b]![h]![i]!, b, i);
      }
    }
    expect(m.forward(q, kv, kv, { needWeights: false }).weights).toBeNull();
  });

  it('isCausal equals the explicit subsequent mask, and a 3-d attnMask masks per batch element and head', () => {
    const m = new MultiheadAttention({ embedDim: 4, numHeads: 2 });
    const x = randn([2, 3, 4]);
    const causal = m.forward(x, x, x, { isCausal: true, averageWeights: false });
    const upper = [
      [false, true, true],
      [false, false, true],
      [false, false, false],
    ];
    const explicit = m.forward(x, x, x, { attnMask: upper, averageWeights: false });
    expect(Array.from(causal.context.data)).toEqual(Array.from(explicit.context.data));
    // [B·H, T, S]: mask key 0 only for batch 1, head 0 (row index 1·2 + 0 = 2).
    const m3 = new Int32Array(2 * 2 * 3 * 3);
    for (let i = 0; i < 3; i++) m3[(2 * 3 + i) * 3] = 1;
    const out = m.forward(x, x, x, { attnMask: tensor(m3, [4, 3, 3]), averageWeights: false });
    const w = out.weights!.toArray() as number[][][][];
    for (let i = 0; i < 3; i++) {
      expect(w[1]![0]![i]![0]).toBe(0);
      expect(w[1]![1]![i]![0]).toBeGreaterThan(0);
      expect(w[0]![0]![i]![0]).toBeGreaterThan(0);
    }
  });

  it('applies dropout to the weights only while training', () => {
    const m = new MultiheadAttention({ embedDim: 8, numHeads: 2, dropout: 0.5, generator: new Generator(1) });
    const x = randn([2, 6, 8]);
    const a = m.forward(x, x, x, { averageWeights: false }).weights!.data;
    expect(a.some((v) => v === 0)).toBe(true);
    m.eval();
    const e1 = m.forward(x, x, x).context.data;
    const e2 = m.forward(x, x, x).context.data;
    expect(Array.from(e1)).toEqual(Array.from(e2));
    const w = m.forward(x, x, x, { averageWeights: false }).weights!.f32;
    for (let r = 0; r < w.length; r += 6) expect(w.subarray(r, r + 6).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });

  it('passes gradcheck for inputs and projection weights (packed and separate)', () => {
    const m = new MultiheadAttention({ embedDim: 4, numHeads: 2, generator: new Generator(5) });
    m.in_proj_bias!.data.set([0.1, -0.2, 0.3, 0.05, -0.1, 0.2, 0.1, -0.3, 0.2, 0.1, -0.05, 0.15]);
    const mask = [[false, false, true], [false, true, false]];
    assertGradcheck(
      (q, k, v) => m.forward(q!, k!, v!, { attnMask: mask }).context,
      [randn([2, 2, 4]), randn([2, 3, 4]), randn([2, 3, 4]), m.in_proj_weight!, m.in_proj_bias!, m.out_proj.weight],
    );
    const s = new MultiheadAttention({ embedDim: 4, numHeads: 1, kdim: 3, vdim: 2, generator: new Generator(6) });
    assertGradcheck(
      (q, k, v) => s.forward(q!, k!, v!, { isCausal: true }).context,
      [randn([1, 3, 4]), randn([1, 3, 3]), randn([1, 3, 2]), s.q_proj_weight!, s.k_proj_weight!, s.v_proj_weight!],
    );
  });

  it('rejects bad configuration and input with typed errors naming what is wrong', () => {
    expect(() => new MultiheadAttention({ embedDim: 10, numHeads: 3 })).toThrow(ValueError);
    expect(() => new MultiheadAttention({ embedDim: 10, numHeads: 3 })).toThrow('MultiheadAttention: numHeads 3 does not divide embedDim 10');
    expect(() => new MultiheadAttention({ embedDim: 8, numHeads: 0 })).toThrow(/numHeads must be a positive integer/);
    expect(() => new MultiheadAttention({ embedDim: 8, numHeads: 2, dropout: -0.1 })).toThrow(/dropout must be in \[0, 1\]/);
    const m = new MultiheadAttention({ embedDim: 8, numHeads: 2 });
    const x = randn([2, 3, 8]);
    expect(() => m.forward(randn([2, 3, 6]), x, x)).toThrow(ShapeError);
    expect(() => m.forward(randn([2, 3, 6]), x, x)).toThrow('MultiheadAttention: query must be [B, T, embedDim=8] (batch-first), got [2, 3, 6]');
    expect(() => m.forward(x, randn([2, 3, 5]), x)).toThrow('MultiheadAttention: key must be [B, S, kdim=8] (batch-first), got [2, 3, 5]');
    expect(() => m.forward(randn([3, 8]), x, x)).toThrow(/query must be \[B, T, embedDim=8\]/);
    expect(() => m.forward(x, randn([1, 3, 8]), randn([1, 3, 8]))).toThrow(/batch or length mismatch/);
    expect(() => m.forward(x, x, x, { keyPaddingMask: [[false, false]] })).toThrow('MultiheadAttention: keyPaddingMask must be [2, 3], got [1, 2]');
    expect(() => m.forward(x, x, x, { attnMask: tensor([[0, 1]], undefined, { dtype: 'int32' }) })).toThrow(
      'MultiheadAttention: attnMask must be [3, 3] or [4, 3, 3], got [1, 2]',
    );
    expect(() => m.forward(randn([2, 0, 8]), x, x)).toThrow(ValueError);
    expect(() => m.forward(x, randn([2, 0, 8]), randn([2, 0, 8]))).toThrow(/empty sequence: the query has 3 positions and the key 0/);
  });
});
