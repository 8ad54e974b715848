import {
  Embedding,
  GELU,
  LayerNorm,
  Linear,
  type Module,
  SerializationError,
  Sequential,
  StateDictError,
  Tanh,
  manualSeed,
  randint,
  randn,
  uniform_,
} from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { importOnnxWeights } from './import-onnx-weights.js';
import { type Decoded, decode, encode } from './ort.test-helper.js';
import { onnx } from './proto.js';

function model(): Sequential {
  const m = new Sequential(new Linear(6, 8), new Tanh(), new Linear(8, 4, { bias: false }), new LayerNorm(4), new GELU());
  for (const p of m.parameters()) uniform_(p, -1, 1);
  return m;
}

/** Bit-exact state-dict comparison: same keys in the same order, same shapes, same float32 bits. */
function expectSameStateDict(a: Module, b: Module): void {
  const [sa, sb] = [a.stateDict(), b.stateDict()];
  expect(Object.keys(sb)).toEqual(Object.keys(sa));
  for (const [k, t] of Object.entries(sa)) {
    expect(sb[k]!.shape, k).toEqual(t.shape);
    expect(new Uint32Array(sb[k]!.data.buffer, sb[k]!.data.byteOffset, t.size), k).toEqual(new Uint32Array(t.data.buffer, t.data.byteOffset, t.size));
  }
}

function edited(bytes: Uint8Array, edit: (m: Decoded<OnnxTypes.IModelProto>) => void): Uint8Array {
  const m = decode(bytes);
  edit(m);
  return encode(m);
}

describe('importOnnxWeights', () => {
  beforeAll(() => manualSeed(21));

  it('round-trips Elman → ONNX → importOnnxWeights to an identical state dict', () => {
    const src = model();
    const bytes = exportOnnx(src, randn([2, 3, 6]), { dynamicAxes: { input: { 0: 'batch', 1: 'time' } } });
    const dst = model();
    expect(dst.stateDict()['0.weight']!.data).not.toEqual(src.stateDict()['0.weight']!.data);
    expect(importOnnxWeights(bytes, dst)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expectSameStateDict(src, dst);
    const x = randn([3, 5, 6]);
    expect([...dst.forward(x).data]).toEqual([...src.forward(x).data]);
  });

  it('round-trips embeddings and tied parameters (stored once, filled under both names)', () => {
    const build = () => {
      const shared = new Linear(5, 5);
      return new Sequential(new Embedding(11, 5), shared, new Tanh(), shared);
    };
    const src = build();
    const bytes = exportOnnx(src, randint(0, 11, [2, 4]));
    const dst = build();
    importOnnxWeights(bytes, dst);
    expectSameStateDict(src, dst);
    expect(Object.keys(dst.stateDict())).toContain('3.weight');
  });

  it('lists every missing key, unexpected initializer and wrong shape in one StateDictError, copying nothing', () => {
    const bytes = exportOnnx(model(), randn([2, 6]));
    const other = new Sequential(new Linear(6, 8), new Tanh(), new Linear(8, 5), new LayerNorm(5), new GELU());
    const before = other.stateDict()['0.weight']!.clone();
    let err: unknown;
    try {
      importOnnxWeights(bytes, other);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect((err as Error).message).toBe(
      "importOnnxWeights: the ONNX initializers do not match Sequential's state dict:\n" +
        '  missing keys (1): 2.bias\n' +
        '  wrong shape or dtype (3): 2.weight: expected float32 [5, 8], got float32 [4, 8]; 3.weight: expected float32 [5], got float32 [4]; ' +
        '3.bias: expected float32 [5], got float32 [4]',
    );
    expect([...other.stateDict()['0.weight']!.data]).toEqual([...before.data]);
    const extra = new Sequential(new Linear(6, 8));
    expect(() => importOnnxWeights(bytes, extra)).toThrow(/unexpected initializers \(3\): 2.weight, 3.weight, 3.bias/);
  });

  it('ignores unexpected and leaves missing keys when not strict, reporting both', () => {
    const src = model();
    const bytes = exportOnnx(src, randn([2, 6]));
    const prefix = new Sequential(new Linear(6, 8), new Tanh(), new Linear(8, 4, { bias: false }), new LayerNorm(4), new Linear(4, 2));
    const result = importOnnxWeights(bytes, prefix, { strict: false });
    expect(result).toEqual({ missingKeys: ['4.weight', '4.bias'], unexpectedKeys: [] });
    expect([...prefix.stateDict()['3.bias']!.data]).toEqual([...src.stateDict()['3.bias']!.data]);
    const shorter = new Sequential(new Linear(6, 8));
    expect(importOnnxWeights(bytes, shorter, { strict: false }).unexpectedKeys).toEqual(['2.weight', '3.weight', '3.bias']);
  });

  it('rejects initializers of another element type, duplicated names and bytes that are not a model', () => {
    const bytes = exportOnnx(new Linear(2, 3), randn([1, 2]));
    const asInt64 = edited(bytes, (m) => {
      const t = m.graph.initializer[1]!;
      t.dataType = onnx.TensorProto.DataType.INT64;
      t.rawData = new Uint8Array(24);
    });
    expect(() => importOnnxWeights(asInt64, new Linear(2, 3))).toThrow(/bias: expected float32 \[3\], got INT64 \[3\]/);
    const twice = edited(bytes, (m) => m.graph.initializer.push(m.graph.initializer[0]!));
    expect(() => importOnnxWeights(twice, new Linear(2, 3))).toThrow(new SerializationError("importOnnxWeights: the model has two initializers named 'weight'"));
    expect(() => importOnnxWeights(new Uint8Array([1, 2, 3]), new Linear(2, 3))).toThrow(SerializationError);
  });
});
