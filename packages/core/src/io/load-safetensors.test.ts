import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { SerializationError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { loadSafetensors } from './load-safetensors.js';
import { saveSafetensors } from './save-safetensors.js';

/** A file with this exact header text (no padding) and `dataBytes` bytes of data (0, 1, 2, …). */
function rawFile(header: string | object, dataBytes = 0): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  for (let i = 0; i < dataBytes; i++) out[8 + json.length + i] = i;
  return out;
}

function expectLoadError(bytes: Uint8Array, message: RegExp): void {
  let error: unknown;
  try {
    loadSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SerializationError);
  expect((error as Error).message).toMatch(message);
}

const F32_2 = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };

function sample(): Record<string, Tensor> {
  return {
    weight: tensor([[0.5, -1.25, 3], [1e-30, -0, 6.5e4]]), // [2, 3]
    ids: tensor([[1, -2], [2147483647, -2147483648]], undefined, { dtype: 'int32' }), // [2, 2]
    scalar: tensor(3.25), // []
    scalarIdx: tensor(-7, undefined, { dtype: 'int32' }), // []
    empty: tensor(new Float32Array(0), [0, 5]), // [0, 5]
    emptyIdx: tensor(new Int32Array(0), [3, 0]), // [3, 0]
  };
}

function expectSameTensors(actual: Record<string, Tensor>, expected: Record<string, Tensor>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, t] of Object.entries(expected)) {
    const got = actual[name]!;
    expect(got.dtype, name).toBe(t.dtype);
    expect(got.shape, name).toEqual(t.shape);
    expect(got.data, name).toEqual(t.data);
  }
}

describe('loadSafetensors', () => {
  it('round-trips F32, I32, scalars, zero-size tensors and metadata', () => {
    const tensors = sample();
    const metadata = { format: 'pt', config: '{"hidden": 8}', empty: '' };
    const loaded = loadSafetensors(saveSafetensors(tensors, metadata));
    expectSameTensors(loaded.tensors, tensors);
    expect(Object.is(loaded.tensors.weight!.data[4], -0)).toBe(true);
    expect(loaded.metadata).toEqual(metadata);
    for (const t of Object.values(loaded.tensors)) {
      expect(t).toBeInstanceOf(Tensor);
      expect(t.requiresGrad).toBe(false);
    }
  });

  it('returns empty metadata when the file has none, and handles a file with no tensors', () => {
    expect(loadSafetensors(saveSafetensors({ a: tensor([1]) })).metadata).toEqual({});
    expect(loadSafetensors(saveSafetensors({}))).toEqual({ tensors: {}, metadata: {} });
    expect(loadSafetensors(saveSafetensors({}, { k: 'v' })).metadata).toEqual({ k: 'v' });
  });

  it('lists tensors in data-buffer order', () => {
    const bytes = rawFile({ b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8);
    expect(Object.keys(loadSafetensors(bytes).tensors)).toEqual(['a', 'b']);
  });

  it('gives each tensor its own copy of the data', () => {
    const bytes = saveSafetensors({ a: tensor([1, 2]), b: tensor([3]) });
    const { tensors } = loadSafetensors(bytes);
    bytes.fill(0xff, bytes.length - 12);
    expect([...tensors.a!.data]).toEqual([1, 2]);
    expect(tensors.a!.data.buffer).not.toBe(tensors.b!.data.buffer);
  });

  it('accepts views at any byte offset, aligned or not', () => {
    const tensors = sample();
    const file = saveSafetensors(tensors, { m: 'x' });
    for (let offset = 0; offset < 8; offset++) {
      const buf = new ArrayBuffer(file.length + 16);
      const view = new Uint8Array(buf, offset + 3, file.length);
      view.set(file);
      new Uint8Array(buf).fill(0xee, 0, offset + 3); // junk before the view must be ignored
      new Uint8Array(buf).fill(0xee, offset + 3 + file.length);
      const loaded = loadSafetensors(view);
      expectSameTensors(loaded.tensors, tensors);
      expect(loaded.metadata).toEqual({ m: 'x' });
    }
  });

  it('keeps a tensor named __proto__ as an ordinary entry', () => {
    const input: Record<string, Tensor> = {};
    Object.defineProperty(input, '__proto__', { value: tensor([1, 2]), enumerable: true });
    const meta = JSON.parse('{"__proto__": "m"}') as Record<string, string>;
    const { tensors, metadata } = loadSafetensors(saveSafetensors(input, meta));
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.entries(metadata)).toEqual([['__proto__', 'm']]);
  });

  it('rejects a file truncated at every cut point, never returning a partial result', () => {
    const file = saveSafetensors({ w: tensor([1, 2, 3]), z: tensor(new Float32Array(0), [0]), ids: tensor([4, 5], undefined, { dtype: 'int32' }) }, { a: 'b' });
    for (let cut = 0; cut < file.length; cut++) {
      expect(() => loadSafetensors(file.subarray(0, cut)), `cut at ${cut}`).toThrow(SerializationError);
    }
    expect(() => loadSafetensors(file)).not.toThrow();
  });

  it('rejects files too short for the length prefix', () => {
    expectLoadError(new Uint8Array(0), /file is 0 bytes, shorter than the 8-byte header length/);
    expectLoadError(new Uint8Array(7), /file is 7 bytes/);
  });

  it('rejects absurd header lengths and lengths past the end of the file', () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expectLoadError(huge, /header length 1099511627776 exceeds the 100000000-byte limit/);
    new DataView(huge.buffer).setBigUint64(0, 100_000_001n, true);
    expectLoadError(huge, /exceeds the 100000000-byte limit/);
    new DataView(huge.buffer).setBigUint64(0, 9n, true);
    expectLoadError(huge, /header length 9 runs past the end of the 16-byte file/);
  });

  it('rejects headers that are not a UTF-8 JSON object', () => {
    const badUtf8 = rawFile('{"a":1}');
    badUtf8[10] = 0xff;
    expectLoadError(badUtf8, /header is not valid UTF-8/);
    expectLoadError(rawFile('{"a": {"dtype": "F32",'), /header is not valid JSON/);
    expectLoadError(rawFile('{}x'), /header is not valid JSON/);
    expectLoadError(rawFile('[1, 2]'), /must be a JSON object starting with "\{", got "\[1, 2\]"/);
    expectLoadError(rawFile('null'), /starting with "\{"/);
    expectLoadError(rawFile(' {}'), /starting with "\{"/);
    expectLoadError(rawFile('\uFEFF{}'), /starting with "\{"/);
    expect(loadSafetensors(rawFile('{}  \t\n ')).tensors).toEqual({});
  });

  it('rejects duplicate keys, which JSON.parse would silently merge', () => {
    expectLoadError(rawFile(`{"a":${JSON.stringify(F32_2)},"a":${JSON.stringify(F32_2)}}`, 8), /the key "a" more than once/);
    expectLoadError(rawFile(`{"__metadata__":{"k":"1","k":"2"}}`), /the key "k" more than once/);
  });

  it('rejects unknown dtypes, naming them and the supported ones', () => {
    expectLoadError(rawFile({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, 4), /tensor "a": unsupported dtype "F16"; supported: F32, I32/);
    expectLoadError(rawFile({ a: { shape: [2], data_offsets: [0, 8] } }, 8), /unsupported dtype undefined/);
  });

  it('rejects bad shapes', () => {
    for (const shape of [[-1], [1.5], ['2'], 2, null, [2 ** 53]]) {
      expectLoadError(rawFile({ a: { dtype: 'F32', shape, data_offsets: [0, 8] } }, 8), /tensor "a": shape must be an array of non-negative integers/);
    }
    expectLoadError(rawFile({ a: { dtype: 'F32', shape: [1e6, 1e6, 1e6], data_offsets: [0, 8] } }, 8), /shape \[1000000, 1000000, 1000000\] needs more bytes than the 8-byte data buffer/);
    expectLoadError(rawFile({ a: 'x' }), /tensor "a": entry must be an object/);
  });

  it('accepts zero-size tensors with huge other dimensions', () => {
    const { tensors } = loadSafetensors(rawFile({ a: { dtype: 'I32', shape: [1e12, 0], data_offsets: [0, 0] } }));
    expect(tensors.a!.shape).toEqual([1e12, 0]);
    expect(tensors.a!.size).toBe(0);
  });

  it('rejects data_offsets that are not [begin, end] of the right span', () => {
    for (const offsets of [[0], [0, 4, 8], [0, -8], ['0', '8'], null, [0.5, 8.5]]) {
      expectLoadError(rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: offsets } }, 8), /data_offsets must be \[begin, end\] of non-negative integers/);
    }
    expectLoadError(rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 8), /data_offsets \[0, 4\] span 4 bytes but F32 \[2\] needs 8/);
    expectLoadError(rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, 8), /span -8 bytes/);
  });

  it('rejects offsets outside the data buffer', () => {
    expectLoadError(rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 8), /tensor "a": data_offsets \[4, 12\] run past the end of the 8-byte data buffer/);
  });

  it('rejects overlaps, holes and trailing bytes: tensors must tile the data buffer', () => {
    const f32 = (begin: number, n = 1) => ({ dtype: 'F32', shape: [n], data_offsets: [begin, begin + 4 * n] });
    expectLoadError(rawFile({ a: f32(0, 2), b: f32(4) }, 8), /tensor "b" \(data_offsets \[4, 8\]\) overlaps "a" \(data_offsets \[0, 8\]\)/);
    expectLoadError(rawFile({ a: f32(0), b: f32(0) }, 4), /overlaps/);
    expectLoadError(rawFile({ a: f32(0, 2), z: { dtype: 'F32', shape: [0], data_offsets: [4, 4] } }, 8), /tensor "z" .* overlaps "a"/);
    expectLoadError(rawFile({ a: f32(0), b: f32(8) }, 12), /bytes \[4, 8\) of the data buffer belong to no tensor \(before "b"\)/);
    expectLoadError(rawFile({ b: f32(4) }, 8), /bytes \[0, 4\) of the data buffer belong to no tensor/);
    expectLoadError(rawFile({ a: f32(0) }, 5), /bytes \[4, 5\) at the end of the data buffer belong to no tensor/);
    expectLoadError(rawFile({}, 1), /bytes \[0, 1\) at the end/);
    const zeroSizeAtBoundary = rawFile({ a: f32(0), z: { dtype: 'F32', shape: [0], data_offsets: [4, 4] }, b: f32(4) }, 8);
    expect(Object.keys(loadSafetensors(zeroSizeAtBoundary).tensors)).toEqual(['a', 'z', 'b']);
  });

  it('rejects metadata that is not a string → string map', () => {
    expectLoadError(rawFile({ __metadata__: ['a'] }), /"__metadata__" must be an object of strings, got \["a"\]/);
    expectLoadError(rawFile({ __metadata__: 'x' }), /"__metadata__" must be an object of strings/);
    expectLoadError(rawFile({ __metadata__: { epochs: 3 } }), /"__metadata__" value of "epochs" must be a string, got 3/);
    expectLoadError(rawFile({ __metadata__: { a: 'ok', b: null } }), /value of "b" must be a string, got null/);
  });

  it('rejects a non-Uint8Array argument', () => {
    expectLoadError(new Float32Array(4) as unknown as Uint8Array, /expected a Uint8Array, got Float32Array/);
    expectLoadError([8, 0, 0, 0, 0, 0, 0, 0] as unknown as Uint8Array, /expected a Uint8Array, got Array/);
  });

  it('accepts a Uint8Array from another realm', () => {
    const foreign = runInNewContext('new Uint8Array(n)', { n: 16 }) as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    foreign.set(saveSafetensors({}));
    expect(loadSafetensors(foreign)).toEqual({ tensors: {}, metadata: {} });
  });
});
