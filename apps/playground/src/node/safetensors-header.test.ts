import { saveSafetensors, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { parseSafetensorsHeader } from './safetensors-header.js';

/** A file from a header object and a data section of `dataBytes` zero bytes, built by hand. */
function file(header: object, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors header check', () => {
  it('reads tensors and metadata of a file @elman/core wrote', () => {
    const bytes = saveSafetensors({ w: tensor([1, 2, 3, 4, 5, 6], [2, 3]), b: tensor([1], [1]) }, { task: 'x' });
    const h = parseSafetensorsHeader(bytes);
    expect(h.metadata).toEqual({ task: 'x' });
    expect(h.tensors.w).toMatchObject({ dtype: 'F32', shape: [2, 3] });
    expect(h.dataBytes).toBe(28);
  });

  it('accepts a hand-built file with I32 data', () => {
    expect(parseSafetensorsHeader(file({ a: { dtype: 'I32', shape: [2], data_offsets: [0, 8] } }, 8)).dataBytes).toBe(8);
  });

  it('rejects truncated files, wrong byte ranges, gaps and trailing bytes', () => {
    expect(() => parseSafetensorsHeader(new Uint8Array(4))).toThrow('shorter than the 8-byte length prefix');
    expect(() => parseSafetensorsHeader(file({}, 0).subarray(0, 9))).toThrow(/header of 2 bytes does not fit in 9 bytes/);
    expect(() => parseSafetensorsHeader(file({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8))).toThrow('a [3] F32 has byte range [0, 8)');
    expect(() => parseSafetensorsHeader(file({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8))).toThrow('data bytes [0, 4) belong to no tensor');
    expect(() => parseSafetensorsHeader(file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8))).toThrow('4 trailing data bytes');
    expect(() => parseSafetensorsHeader(file({ a: { dtype: 'Q4', shape: [1], data_offsets: [0, 4] } }, 4))).toThrow('unknown dtype Q4');
  });
});
