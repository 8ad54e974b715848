import { describe, expect, it } from 'vitest';
import type { RecurrentCell, RecurrentGrads, SequenceGeometry } from '../recurrent.js';
import { gateCount } from '../recurrent.js';
import { recurrentBackward, recurrentForward } from './recurrent-sequence.js';
import { pooledSlabCount, releaseSlabs, takeSlab } from './slab-pool.js';

describe('slab pool (js backend)', () => {
  it('hands a released slab of the same length back zeroed, and new arrays otherwise', () => {
    const a = takeSlab(1013).fill(7);
    releaseSlabs([a, null]);
    expect(takeSlab(1014)).not.toBe(a);
    const again = takeSlab(1013);
    expect(again).toBe(a);
    expect(again.every((v) => v === 0)).toBe(true);
    expect(takeSlab(1013)).not.toBe(a); // taken once, not twice
  });

  it('holds at most 8 slabs, dropping the oldest, and ignores a slab released twice', () => {
    const first = new Float32Array(2027);
    releaseSlabs([first, first]);
    for (let i = 0; i < 8; i++) releaseSlabs([new Float32Array(11 + i)]);
    expect(pooledSlabCount()).toBe(8);
    expect(takeSlab(2027)).not.toBe(first);
  });

  // Saved activations and scratch go back to the pool and are reused by the next call: results must not change.
  it.each<RecurrentCell>([
    { kind: 'lstm' },
    { kind: 'gru', resetBefore: false },
    { kind: 'gru', resetBefore: true },
    { kind: 'rnn', nonlinearity: 'tanh' },
  ])('gives identical results call after call while reusing slabs: %o', (cell) => {
    const [B, T, X, H] = [3, 5, 4, 6];
    const GH = gateCount(cell) * H;
    const geometry: SequenceGeometry = { batch: B, steps: T, inputSize: X, hiddenSize: H, lengths: Int32Array.of(5, 2, 4), maxLen: 5, reverse: false };
    const wave = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5);
    const weights = { weightIh: wave(GH * X, 1.3), weightHh: wave(GH * H, 0.7), biasIh: wave(GH, 2.1), biasHh: wave(GH, 0.3) };
    const x = wave(B * T * X, 0.9);
    const step = () => {
      const h = new Float32Array(B * H);
      const c = cell.kind === 'lstm' ? new Float32Array(B * H) : null;
      const output = new Float32Array(B * T * H);
      const saved = recurrentForward({ cell, geometry, x, weights, h, c, output, keep: true })!;
      const grads: RecurrentGrads = {
        x: new Float32Array(B * T * X),
        weightIh: new Float32Array(GH * X),
        weightHh: new Float32Array(GH * H),
        biasIh: new Float32Array(GH),
        biasHh: new Float32Array(GH),
      };
      const dh = wave(B * H, 1.7);
      const dc = c ? wave(B * H, 0.4) : null;
      const args = { cell, geometry, x, weights, saved, dOutput: wave(B * T * H, 1.1), dh, grads, hiddenGradSquares: null };
      recurrentBackward({ ...args, dc, final: true });
      return [output, h, dh, ...Object.values(grads)].map((a) => Array.from(a as Float32Array));
    };
    const first = step();
    expect(pooledSlabCount()).toBeGreaterThan(0);
    // Dirty the pooled slabs of these lengths: reuse must zero them.
    for (let i = 0; i < 8; i++) releaseSlabs([new Float32Array(B * T * GH).fill(Number.NaN), new Float32Array(B * T * H).fill(Number.NaN)]);
    expect(step()).toEqual(first);
    expect(step()).toEqual(first);
  });
});
