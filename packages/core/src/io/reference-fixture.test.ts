import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import type { Tensor } from '../tensor.js';
import { loadSafetensors } from './load-safetensors.js';
import { saveSafetensors } from './save-safetensors.js';

// fixtures/make-reference.py builds these bytes with Python's struct and json, independently of this library.
interface Reference {
  metadata: Record<string, string>;
  tensors: Array<{ name: string; dtype: 'F32' | 'I32'; shape: number[]; values: number[] }>;
}
const reference = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8')) as Reference;
const file = new Uint8Array(readFileSync(new URL('./fixtures/reference.safetensors', import.meta.url)));

function referenceTensors(): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const r of reference.tensors) {
    out[r.name] = tensor(r.values, r.shape, { dtype: r.dtype === 'F32' ? 'float32' : 'int32' });
  }
  return out;
}

describe('safetensors reference fixture (written by Python)', () => {
  it('loads every tensor and the metadata exactly', () => {
    const { tensors, metadata } = loadSafetensors(file);
    expect(metadata).toEqual(reference.metadata);
    expect(Object.keys(tensors).sort()).toEqual(reference.tensors.map((r) => r.name).sort());
    for (const r of reference.tensors) {
      const t = tensors[r.name]!;
      expect(t.dtype, r.name).toBe(r.dtype === 'F32' ? 'float32' : 'int32');
      expect(t.shape, r.name).toEqual(r.shape);
      // Object.is per element: -0 and the smallest subnormal must survive exactly.
      expect([...t.data].every((v, i) => Object.is(v, r.values[i])), r.name).toBe(true);
      expect(t.size).toBe(r.values.length);
    }
  });

  it('writes byte-identical output for the same tensors and metadata', () => {
    expect(saveSafetensors(referenceTensors(), reference.metadata)).toEqual(file);
  });

  it('re-saves a loaded file unchanged', () => {
    const { tensors, metadata } = loadSafetensors(file);
    expect(saveSafetensors(tensors, metadata)).toEqual(file);
  });
});
