import { Embedding, Linear, type Module, Sequential, Tensor, manualSeed, randint, randn, uniform_ } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import {
  CausalLM,
  LearnedPositionalEncoding,
  MultiheadAttention,
  SinusoidalPositionalEncoding,
  Transformer,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from '@elman/transformer';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxExportError } from '../errors.js';
import { importOnnxWeights } from '../import-onnx-weights.js';
import { type ExportOnnxOptions, exportOnnx } from '../export-onnx.js';
import { type Feeds, decode, expectOrtParity, opTypes } from '../ort.test-helper.js';

const E = 8;

/** [B, T, S] of the example inputs, then of the runs that reuse its session (dynamic batch, query and key lengths). */
const SIZES: readonly [number, number, number][] = [
  [2, 5, 4],
  [1, 1, 1],
  [4, 7, 9],
  [3, 2, 6],
];

/** Gives every parameter non-trivial values (biases and LayerNorm start at zeros and ones). */
function randomize<M extends Module>(m: M): M {
  for (const p of m.parameters()) uniform_(p, -0.5, 0.5);
  m.eval();
  return m;
}

/** Parity over SIZES ([B, T, S]) with {@link expectOrtParity}. */
function expectParity(
  m: Module,
  feeds: (B: number, T: number, S: number) => Feeds,
  forward: (inputs: Tensor[], options?: Record<string, unknown>) => unknown,
  options: Omit<ExportOnnxOptions, 'forwardOptions'>,
): Promise<Uint8Array> {
  return expectOrtParity(m, SIZES, feeds, forward, options);
}

/** Right-padding mask `[B, S]` (int32, 1 = padded) with valid lengths in [1, S], the first sequence full. */
function paddingMask(B: number, S: number): Tensor {
  const data = new Int32Array(B * S);
  for (let b = 0; b < B; b++) {
    const len = b === 0 ? S : 1 + ((b * 3 + 1) % S);
    for (let s = len; s < S; s++) data[b * S + s] = 1;
  }
  return new Tensor(data, [B, S]);
}

/** A `[T, S]` int32 mask hiding some keys but never key 0, so no query loses every key. */
function sparseMask(T: number, S: number): Tensor {
  const data = new Int32Array(T * S);
  for (let t = 0; t < T; t++) for (let s = 1; s < S; s++) data[t * S + s] = (t + 2 * s) % 3 === 0 ? 1 : 0;
  return new Tensor(data, [T, S]);
}

const BTS = (names: Record<string, Record<number, string>>): ExportOnnxOptions['dynamicAxes'] => names;

describe.each(testBackends())('transformer ONNX export parity with onnxruntime (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    manualSeed(21);
  });

  it('MultiheadAttention self-attention (one input) exports context and head-averaged weights as primitive ops', async () => {
    const m = randomize(new MultiheadAttention({ embedDim: E, numHeads: 2 }));
    const bytes = await expectParity(
      m,
      (B, T) => ({ inputs: [randn([B, T, E])] }),
      ([x]) => m.forward(x!, x!, x!),
      { outputNames: ['context', 'weights'], dynamicAxes: BTS({ input: { 0: 'batch', 1: 'time' } }) },
    );
    const ops = new Set(opTypes(bytes));
    for (const op of ['MatMul', 'Softmax', 'Reshape', 'Transpose', 'ReduceMean']) expect(ops.has(op), op).toBe(true);
    // One packed q, k, v projection, the scores, the context, out_proj.
    expect(opTypes(bytes).filter((t) => t === 'MatMul')).toHaveLength(4);
    expect(decode(bytes).graph.initializer.map((t) => t.name)).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
  });

  it('MultiheadAttention cross-attention with an int32 key-padding mask input and per-head weights', async () => {
    const m = randomize(new MultiheadAttention({ embedDim: E, numHeads: 4 }));
    const options = (B: number, S: number) => ({ keyPaddingMask: paddingMask(B, S), averageWeights: false });
    const bytes = await expectParity(
      m,
      (B, T, S) => ({ inputs: [randn([B, T, E]), randn([B, S, E]), randn([B, S, E])], options: options(B, S) }),
      ([q, k, v], o) => m.forward(q!, k!, v!, o),
      {
        inputNames: ['query', 'key', 'value'],
        dynamicAxes: BTS({
          query: { 0: 'batch', 1: 'T' },
          key: { 0: 'batch', 1: 'S' },
          value: { 0: 'batch', 1: 'S' },
          keyPaddingMask: { 0: 'batch', 1: 'S' },
        }),
      },
    );
    // A projection per input, the scores, the context, out_proj.
    expect(opTypes(bytes).filter((t) => t === 'MatMul')).toHaveLength(6);
  });

  it('MultiheadAttention with kdim/vdim, no bias, an int32 [T, S] attention mask and isCausal, at opsets 13 and 18', async () => {
    for (const opset of [13, 18]) {
      const m = randomize(new MultiheadAttention({ embedDim: E, numHeads: 2, kdim: 5, vdim: 3, bias: false }));
      const bytes = await expectParity(
        m,
        (B, T, S) => ({ inputs: [randn([B, T, E]), randn([B, S, 5]), randn([B, S, 3])], options: { attnMask: sparseMask(T, S), isCausal: true } }),
        ([q, k, v], o) => m.forward(q!, k!, v!, o),
        {
          opset,
          dynamicAxes: BTS({
            input_0: { 0: 'batch', 1: 'T' },
            input_1: { 0: 'batch', 1: 'S' },
            input_2: { 0: 'batch', 1: 'S' },
            attnMask: { 0: 'T', 1: 'S' },
          }),
        },
      );
      expect(decode(bytes).graph.initializer.map((t) => t.name)).toEqual(['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'out_proj.weight']);
    }
  });

  it('MultiheadAttention with a float additive [B·nH, T, S] mask and needWeights false (context only)', async () => {
    const m = randomize(new MultiheadAttention({ embedDim: E, numHeads: 2 }));
    const floatMask = (B: number, T: number, S: number) => randn([B * 2, T, S]);
    const bytes = await expectParity(
      m,
      (B, T, S) => ({ inputs: [randn([B, T, E]), randn([B, S, E]), randn([B, S, E])], options: { attnMask: floatMask(B, T, S), needWeights: false } }),
      ([q, k, v], o) => m.forward(q!, k!, v!, o).context,
      {
        dynamicAxes: BTS({
          input_0: { 0: 'batch', 1: 'T' },
          input_1: { 0: 'batch', 1: 'S' },
          input_2: { 0: 'batch', 1: 'S' },
          attnMask: { 0: 'BH', 1: 'T', 2: 'S' },
        }),
      },
    );
    expect(decode(bytes).graph.output.map((o) => o.name)).toEqual(['output']);
  });

  it.each([
    ['post-norm relu', 13, { normFirst: false, activation: 'relu' as const }],
    ['post-norm relu', 17, { normFirst: false, activation: 'relu' as const }],
    ['pre-norm gelu', 17, { normFirst: true, activation: 'gelu' as const }],
    ['pre-norm gelu (Gelu op)', 20, { normFirst: true, activation: 'gelu' as const }],
  ])('TransformerEncoderLayer %s at opset %i, with a key-padding mask and causal attention', async (_, opset, o) => {
    const m = randomize(new TransformerEncoderLayer({ dModel: E, nhead: 2, dimFeedforward: 16, ...o }));
    const bytes = await expectParity(
      m,
      (B, T) => ({ inputs: [randn([B, T, E])], options: { srcKeyPaddingMask: paddingMask(B, T), isCausal: true } }),
      ([x], opt) => m.forward(x!, opt),
      { opset, dynamicAxes: BTS({ input: { 0: 'batch', 1: 'time' }, srcKeyPaddingMask: { 0: 'batch', 1: 'time' } }) },
    );
    expect(new Set(decode(bytes).graph.initializer.map((t) => t.name))).toEqual(new Set(Object.keys(m.stateDict())));
    expect(opTypes(bytes).includes('Gelu')).toBe(opset >= 20 && o.activation === 'gelu');
    expect(opTypes(bytes).filter((t) => t === 'LayerNormalization')).toHaveLength(opset >= 17 ? 2 : 0);
  });

  it('TransformerEncoder (2 layers and a final norm) with an attention mask, and without any mask', async () => {
    const m = randomize(new TransformerEncoder({ dModel: E, nhead: 4, dimFeedforward: 12, numLayers: 2, norm: true, normFirst: true }));
    await expectParity(
      m,
      (B, T) => ({ inputs: [randn([B, T, E])], options: { mask: sparseMask(T, T) } }),
      ([x], opt) => m.forward(x!, opt),
      { dynamicAxes: BTS({ input: { 0: 'batch', 1: 'time' }, mask: { 0: 'time', 1: 'time' } }) },
    );
    const bytes = await expectParity(m, (B, T) => ({ inputs: [randn([B, T, E])] }), ([x]) => m.forward(x!), {
      dynamicAxes: BTS({ input: { 0: 'batch', 1: 'time' } }),
    });
    expect(new Set(decode(bytes).graph.initializer.map((t) => t.name))).toEqual(new Set(Object.keys(m.stateDict())));
  });

  it.each([
    ['post-norm relu', { normFirst: false, activation: 'relu' as const }],
    ['pre-norm gelu', { normFirst: true, activation: 'gelu' as const }],
  ])('TransformerDecoderLayer %s over a memory, with causal self-attention and both padding masks', async (_, o) => {
    const m = randomize(new TransformerDecoderLayer({ dModel: E, nhead: 2, dimFeedforward: 16, ...o }));
    const options = (B: number, T: number, S: number) => ({ tgtKeyPaddingMask: paddingMask(B, T), memoryKeyPaddingMask: paddingMask(B, S), tgtIsCausal: true });
    const bytes = await expectParity(
      m,
      (B, T, S) => ({ inputs: [randn([B, T, E]), randn([B, S, E])], options: options(B, T, S) }),
      ([tgt, memory], opt) => m.forward(tgt!, memory!, opt),
      {
        inputNames: ['tgt', 'memory'],
        dynamicAxes: BTS({
          tgt: { 0: 'batch', 1: 'T' },
          memory: { 0: 'batch', 1: 'S' },
          tgtKeyPaddingMask: { 0: 'batch', 1: 'T' },
          memoryKeyPaddingMask: { 0: 'batch', 1: 'S' },
        }),
      },
    );
    expect(new Set(decode(bytes).graph.initializer.map((t) => t.name))).toEqual(new Set(Object.keys(m.stateDict())));
  });

  it('TransformerDecoder and the encoder–decoder Transformer with masks on both sides', async () => {
    const dec = randomize(new TransformerDecoder({ dModel: E, nhead: 2, dimFeedforward: 12, numLayers: 2, norm: true }));
    await expectParity(
      dec,
      (B, T, S) => ({ inputs: [randn([B, T, E]), randn([B, S, E])], options: { tgtMask: sparseMask(T, T) } }),
      ([tgt, memory], opt) => dec.forward(tgt!, memory!, opt),
      { dynamicAxes: BTS({ input_0: { 0: 'batch', 1: 'T' }, input_1: { 0: 'batch', 1: 'S' }, tgtMask: { 0: 'T', 1: 'T' } }) },
    );
    const m = randomize(new Transformer({ dModel: E, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 12 }));
    const options = (B: number, S: number) => ({ srcKeyPaddingMask: paddingMask(B, S), memoryKeyPaddingMask: paddingMask(B, S), tgtIsCausal: true });
    const bytes = await expectParity(
      m,
      (B, T, S) => ({ inputs: [randn([B, S, E]), randn([B, T, E])], options: options(B, S) }),
      ([src, tgt], opt) => m.forward(src!, tgt!, opt),
      {
        inputNames: ['src', 'tgt'],
        dynamicAxes: BTS({
          src: { 0: 'batch', 1: 'S' },
          tgt: { 0: 'batch', 1: 'T' },
          srcKeyPaddingMask: { 0: 'batch', 1: 'S' },
          memoryKeyPaddingMask: { 0: 'batch', 1: 'S' },
        }),
      },
    );
    expect(new Set(decode(bytes).graph.initializer.map((t) => t.name))).toEqual(new Set(Object.keys(m.stateDict())));
  });

  it.each(['sinusoidal', 'learned'] as const)('CausalLM (%s positions, tied weights) gives the logits of every position', async (positional) => {
    const m = randomize(new CausalLM({ vocabSize: 13, dModel: E, nhead: 2, numLayers: 2, dimFeedforward: 16, maxLength: 12, positional, tieWeights: true }));
    const bytes = await expectParity(
      m,
      (B, T) => ({ inputs: [randint(0, 13, [B, T])], options: { keyPaddingMask: paddingMask(B, T) } }),
      ([ids], opt) => m.forward(ids!, opt),
      { dynamicAxes: BTS({ input: { 0: 'batch', 1: 'time' }, keyPaddingMask: { 0: 'batch', 1: 'time' } }) },
    );
    const names = decode(bytes).graph.initializer.map((t) => t.name);
    expect(names.filter((n) => n.startsWith('lm_head.weight') || n === 'token_embedding.weight')).toEqual(['token_embedding.weight']);
  });

  it('a token classifier Sequential(Embedding, positional encoding, encoder layer, Linear) with either positional encoding', async () => {
    for (const pe of [new SinusoidalPositionalEncoding({ dModel: E, maxLength: 16 }), new LearnedPositionalEncoding({ dModel: E, maxLength: 16 })]) {
      const layer = randomize(new TransformerEncoderLayer({ dModel: E, nhead: 2, dimFeedforward: 16, dropout: 0.3 }));
      const m = new Sequential(new Embedding(20, E), pe, layer, new Linear(E, 3));
      const bytes = await expectParity(m, (B, T) => ({ inputs: [randint(0, 20, [B, T])] }), ([ids]) => m.forward(ids!), {
        dynamicAxes: BTS({ input: { 0: 'batch', 1: 'time' } }),
      });
      const names = decode(bytes).graph.initializer.map((t) => t.name);
      expect(names.includes('1.weight')).toBe(pe instanceof LearnedPositionalEncoding);
    }
  });
});

describe('transformer ONNX export: weights round trip and errors', () => {
  beforeAll(() => manualSeed(22));

  it('Elman → ONNX → importOnnxWeights gives an identical TransformerEncoder state dict', () => {
    const make = () => new TransformerEncoder({ dModel: E, nhead: 2, dimFeedforward: 12, numLayers: 2, norm: true });
    const src = randomize(make());
    const dst = make();
    expect(importOnnxWeights(exportOnnx(src, randn([1, 3, E])), dst)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const a = src.stateDict();
    const b = dst.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(Array.from(b[k]!.data), k).toEqual(Array.from(a[k]!.data));
  });

  it('rejects masks that are not tensors and attention called with two inputs', () => {
    const m = new MultiheadAttention({ embedDim: E, numHeads: 2 });
    const x = randn([1, 2, E]);
    expect(() => exportOnnx(m, [x, x, x], { forwardOptions: { keyPaddingMask: [[false, true]] } })).toThrow(OnnxExportError);
    expect(() => exportOnnx(m, [x, x, x], { forwardOptions: { keyPaddingMask: [[false, true]] } })).toThrow(
      /MultiheadAttention at '': keyPaddingMask must be an int32 \(1 = masked out\) or float32 \(additive\) tensor/,
    );
    expect(() => exportOnnx(m, [x, x])).toThrow();
  });

  it('rejects forward options that are not an object and tensor options that collide with input names', () => {
    const m = new TransformerEncoderLayer({ dModel: E, nhead: 2, dimFeedforward: 8 });
    const x = randn([1, 2, E]);
    expect(() => exportOnnx(m, x, { forwardOptions: 3 as unknown as Record<string, unknown> })).toThrow(/forwardOptions must be an object/);
    expect(() => exportOnnx(m, x, { inputNames: ['srcMask'], forwardOptions: { srcMask: new Tensor(new Int32Array(4), [2, 2]) } })).toThrow(
      /forwardOptions.srcMask is a tensor, so a graph input 'srcMask', but inputNames already has 'srcMask'/,
    );
  });
});
