import { Generator, Tensor, manualSeed } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransformerSeq2Seq } from './transformer-seq2seq.js';

const options = { srcVocab: 12, tgtVocab: 9, dModel: 16, nhead: 2, numLayers: 2, dimFeedforward: 32, dropout: 0, maxLength: 32 };

describe.each(testBackends())('TransformerSeq2Seq (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('is causal over the target and ignores source padding', () => {
    manualSeed(3);
    const model = new TransformerSeq2Seq({ ...options, generator: new Generator(1) });
    model.eval();
    const src = new Tensor(Int32Array.from([4, 5, 6, 0, 7, 8, 9, 10]), [2, 4]); // row 0 padded
    const a = model.forward(src, new Tensor(Int32Array.from([3, 4, 5, 2, 6, 7, 8, 2]), [2, 4])); // [2, 4, V]
    const b = model.forward(src, new Tensor(Int32Array.from([3, 4, 8, 2, 6, 7, 3, 2]), [2, 4]));
    expect(a.shape).toEqual([2, 4, 9]);
    const A = a.data as Float32Array;
    const Bv = b.data as Float32Array;
    // Position t reads targets < t only: changing target 2 leaves logits 0–2 unchanged and changes logit 3.
    for (const row of [0, 1]) {
      for (let t = 0; t < 4; t++) {
        const diff = Math.max(...Array.from({ length: 9 }, (_, v) => Math.abs(A[(row * 4 + t) * 9 + v]! - Bv[(row * 4 + t) * 9 + v]!)));
        if (t <= 2) expect(diff).toBeLessThan(1e-5);
        else expect(diff).toBeGreaterThan(1e-4);
      }
    }
    // A padded source column does not matter: another id in the PAD slot's place would, so check PAD = masked.
    const c = model.forward(new Tensor(Int32Array.from([4, 5, 6, 0]), [1, 4]), new Tensor(Int32Array.from([3, 2]), [1, 2]));
    const d = model.forward(new Tensor(Int32Array.from([4, 5, 6]), [1, 3]), new Tensor(Int32Array.from([3, 2]), [1, 2]));
    const C = c.data as Float32Array;
    const D = d.data as Float32Array;
    for (let i = 0; i < C.length; i++) expect(Math.abs(C[i]! - D[i]!)).toBeLessThan(1e-5);
  });

  it('generate agrees with the teacher-forced argmax and returns per-head cross-attention over valid columns', () => {
    manualSeed(4);
    const model = new TransformerSeq2Seq({ ...options, generator: new Generator(2) });
    model.eval();
    const src = new Tensor(Int32Array.from([4, 5, 6, 0, 7, 8, 9, 10]), [2, 4]);
    const out = model.generate(src, 5);
    expect(out).toHaveLength(2);
    out.forEach((g, b) => {
      expect(g.heads).toHaveLength(2);
      const valid = b === 0 ? 3 : 4;
      for (const head of g.heads) {
        expect(head.length).toBe(Math.min(5, g.tokens.length + 1));
        for (const row of head) {
          expect(row).toHaveLength(valid);
          expect(row.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
        }
      }
      // Greedy decoding equals the argmax of a teacher-forced pass over its own output.
      if (g.tokens.length > 0) {
        const logits = model.forward(new Tensor(Int32Array.from(src.data.subarray(b * 4, b * 4 + 4)), [1, 4]), new Tensor(Int32Array.from(g.tokens), [1, g.tokens.length]));
        const L = logits.data as Float32Array;
        for (let t = 0; t < g.tokens.length; t++) {
          const row = Array.from(L.subarray(t * 9, t * 9 + 9));
          expect(row.indexOf(Math.max(...row))).toBe(g.tokens[t]);
        }
      }
    });
  });
});
