import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { SerializationError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { saveSafetensors } from './save-safetensors.js';

/** Reads a file back by hand, straight from the format description, without using the library's reader. */
function parseByHand(bytes: Uint8Array): { n: number; headerText: string; header: Record<string, unknown>; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  return { n, headerText, header: JSON.parse(headerText), data: bytes.subarray(8 + n) };
}

/** Little-endian bytes of float32 values, written one by one with DataView (independent of host byte order). */
function f32Bytes(values: number[]): number[] {
  const v = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((x, i) => {
    v.setFloat32(i * 4, x, true);
  });
  return [...new Uint8Array(v.buffer)];
}

function ascii(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

function i32Bytes(values: number[]): number[] {
  const v = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((x, i) => {
    v.setInt32(i * 4, x, true);
  });
  return [...new Uint8Array(v.buffer)];
}

describe('saveSafetensors', () => {
  it('writes the spec layout: u64 LE length, compact JSON header, aligned little-endian data', () => {
    const w = tensor([[1.5, -2], [0.25, 3e-8]]); // [2, 2]
    const ids = tensor([7, -9, 2147483647], undefined, { dtype: 'int32' }); // [3]
    const bytes = saveSafetensors({ w, ids }, { framework: 'elman' });
    const { n, headerText, header, data } = parseByHand(bytes);

    expect(n % 8).toBe(0);
    expect(bytes.length).toBe(8 + n + 16 + 12);
    const json = headerText.trimEnd();
    expect(headerText.slice(json.length)).toMatch(/^ {0,7}$/);
    expect(json).toBe(
      '{"__metadata__":{"framework":"elman"},' +
        '"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},' +
        '"ids":{"dtype":"I32","shape":[3],"data_offsets":[16,28]}}',
    );
    expect(Object.keys(header)).toEqual(['__metadata__', 'w', 'ids']);
    expect([...data.subarray(0, 16)]).toEqual(f32Bytes([1.5, -2, 0.25, 3e-8]));
    expect([...data.subarray(16)]).toEqual(i32Bytes([7, -9, 2147483647]));
  });

  it('matches known reference-writer outputs byte for byte', () => {
    // An empty file is "{}" padded to 8 bytes.
    expect([...saveSafetensors({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, ...ascii('{}      ')]);
    // A 65-byte header gets 7 spaces of padding, so the data starts at byte 8 + 72 = 80.
    const x = tensor([0, 1, 2, 3, 4, 5], [1, 1, 2, 3]);
    const text = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(text.length).toBe(65);
    expect([...saveSafetensors({ attn0: x })]).toEqual([
      72, 0, 0, 0, 0, 0, 0, 0, ...ascii(`${text}       `), ...f32Bytes([0, 1, 2, 3, 4, 5]),
    ]);
  });

  it('pads the header with spaces so the data starts 8-byte aligned for every name length', () => {
    for (let len = 1; len <= 16; len++) {
      const bytes = saveSafetensors({ ['n'.repeat(len)]: tensor([1, 2, 3]) });
      const { n, headerText } = parseByHand(bytes);
      expect((8 + n) % 8).toBe(0);
      expect(headerText).toMatch(/^\{.*\} {0,7}$/);
      expect(bytes.length).toBe(8 + n + 12);
    }
  });

  it('orders tensors F32 before I32, then by code point (UTF-8 byte order), whatever the insertion order', () => {
    const one = tensor([1]);
    const idx = tensor([1], undefined, { dtype: 'int32' });
    // "z😀" sorts before "zﬁ" by UTF-16 code unit but after it by code point, as the reference writer orders.
    const bytes = saveSafetensors({ b_ids: idx, 'z😀': one, a_ids: idx, zﬁ: one, Z: one });
    const { header } = parseByHand(bytes);
    expect(Object.keys(header)).toEqual(['Z', 'zﬁ', 'z😀', 'a_ids', 'b_ids']);
    expect((header.a_ids as { data_offsets: number[] }).data_offsets).toEqual([12, 16]);
  });

  it('writes scalars as shape [] and zero-size tensors with empty ranges', () => {
    const bytes = saveSafetensors({ a: tensor(2.5), b: tensor(new Float32Array(0), [0, 3]), c: tensor([4]) });
    const { header, data } = parseByHand(bytes);
    expect(header.a).toEqual({ dtype: 'F32', shape: [], data_offsets: [0, 4] });
    expect(header.b).toEqual({ dtype: 'F32', shape: [0, 3], data_offsets: [4, 4] });
    expect(header.c).toEqual({ dtype: 'F32', shape: [1], data_offsets: [4, 8] });
    expect([...data]).toEqual(f32Bytes([2.5, 4]));
  });

  it('sorts metadata keys and escapes names and values as compact JSON', () => {
    const bytes = saveSafetensors({ 'q"\n\\': tensor([1]) }, { z: 'last', a: 'line\nbreak "quoted" ü' });
    const { headerText, header } = parseByHand(bytes);
    expect(headerText).toContain('{"__metadata__":{"a":"line\\nbreak \\"quoted\\" ü","z":"last"},"q\\"\\n\\\\":');
    expect(header.__metadata__).toEqual({ a: 'line\nbreak "quoted" ü', z: 'last' });
  });

  it('writes only the bytes of a tensor whose data is a view into a larger buffer', () => {
    const slab = new Float32Array([9, 9, 1, 2, 3, 9]);
    const t = tensor(slab.subarray(2, 5));
    const { data } = parseByHand(saveSafetensors({ t }));
    expect([...data]).toEqual(f32Bytes([1, 2, 3]));
  });

  it('rejects what the format cannot hold', () => {
    const t = tensor([1]);
    expect(() => saveSafetensors({ x: [1, 2] as unknown as Tensor })).toThrow(/value of "x" is not a Tensor \(got an array\)/);
    expect(() => saveSafetensors({ __metadata__: t })).toThrow(/"__metadata__" is reserved/);
    expect(() => saveSafetensors({ t }, { n: 3 as unknown as string })).toThrow(/metadata value of "n" must be a string, got number/);
    expect(() => saveSafetensors({ 'bad\uD800': t })).toThrow(/lone UTF-16 surrogate/);
    expect(() => saveSafetensors({ t }, { k: 'bad\uDC00' })).toThrow(SerializationError);
  });
});
