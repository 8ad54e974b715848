import { type Tensor, ValueError, mul, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { type RecurrentState, detachState, packState, unpackState } from './recurrent-state.js';
import { mixSeed } from './seeds.js';

describe('recurrent states', () => {
  it('detach every tensor of a structure and keep the structure', () => {
    const h = tensor([1, 2], undefined, { requiresGrad: true });
    const c = tensor([3, 4], undefined, { requiresGrad: true });
    const state = { h: mul(h, 2), layers: [mul(c, 3), null] }; // on the tape
    const cut = detachState(state) as { h: Tensor; layers: [Tensor, null] };
    expect(cut.h.requiresGrad).toBe(false);
    expect(cut.h.isLeaf).toBe(true);
    expect(cut.h.toArray()).toEqual([2, 4]);
    expect(cut.layers[0].toArray()).toEqual([9, 12]);
    expect(cut.layers[1]).toBeNull();
    // Gradients stop at the cut.
    const y = mul(cut.h, tensor([1, 1], undefined, { requiresGrad: true })).sum();
    y.backward();
    expect(h.grad).toBeNull();
  });

  it('pack into a structured-clone-safe form and back (as between threads)', () => {
    const state: RecurrentState = { h: tensor([[1, 2]]), c: tensor([[3, 4]]), extra: [tensor([5], undefined, { dtype: 'int32' }), null] };
    const copy = unpackState(structuredClone(packState(state))) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['h', 'c', 'extra']);
    expect((copy.h as Tensor).toArray()).toEqual([[1, 2]]);
    expect((copy.c as Tensor).shape).toEqual([1, 2]);
    const [ids, none] = copy.extra as [Tensor, null];
    expect(ids.dtype).toBe('int32');
    expect(ids.toArray()).toEqual([5]);
    expect(none).toBeNull();
    // A record key named like the packing tags stays a record key.
    const tricky = unpackState(packState({ tensor: tensor([7]) })) as { tensor: Tensor };
    expect(tricky.tensor.toArray()).toEqual([7]);
    expect(() => unpackState({} as never)).toThrow(ValueError);
  });
});

describe('mixSeed', () => {
  it('derives deterministic, distinct 32-bit seeds per stream', () => {
    expect(mixSeed(1, 2, 3)).toBe(mixSeed(1, 2, 3));
    const seen = new Set<number>();
    for (let step = 0; step < 100; step++) for (let shard = 0; shard < 4; shard++) seen.add(mixSeed(7, step, shard));
    expect(seen.size).toBe(400);
    for (const s of seen) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(mixSeed(7, 1, 0)).not.toBe(mixSeed(7, 0, 1));
  });
});
