import { readFileSync } from 'node:fs';
import { Dropout, Embedding, GELU, LayerNorm, Linear, type Module, Sequential, Tanh, saveSafetensors } from '@elman/core';
import { describe, expect, it } from 'vitest';

// The state dicts PyTorch gives the torch twins of Elman modules (fixtures/torch-state-dicts.json, written by
// fixtures/make-torch-state-dicts.py), compared with Elman's state dicts and with the safetensors header that
// `safetensors.torch.load_file` reads: same keys, same shapes, float32, so `load_state_dict` needs no renaming.

interface Case {
  id: string;
  torch: string;
  state_dict: [string, number[], string][];
}
const cases = (JSON.parse(readFileSync(new URL('./fixtures/torch-state-dicts.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;
const guide = readFileSync(new URL('../../../docs/guides/onnx-and-pytorch.md', import.meta.url), 'utf8');

const ELMAN: Record<string, () => Module> = {
  tagger: () => new Sequential(new Linear(12, 16), new Tanh(), new Linear(16, 8), new LayerNorm(8), new Dropout(0.2)),
  classifier: () =>
    new Sequential(
      new Embedding(100, 32, { paddingIdx: 0 }),
      new Linear(32, 32),
      new GELU(),
      new LayerNorm(32, { elementwiseAffine: false }),
      new Linear(32, 4, { bias: false }),
    ),
  layer_norm_no_bias: () => new LayerNorm([3, 4], { bias: false }),
};

/** The tensors of a safetensors file's JSON header: name → [shape, dtype]. */
function header(bytes: Uint8Array): Record<string, [number[], string]> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[] }>;
  const out: Record<string, [number[], string]> = {};
  for (const [k, v] of Object.entries(json)) if (k !== '__metadata__') out[k] = [v.shape, v.dtype];
  return out;
}

describe('state dicts PyTorch loads without renaming', () => {
  it('covers every fixture case', () => {
    expect(cases.map((c) => c.id).sort()).toEqual(Object.keys(ELMAN).sort());
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: keys, order, shapes and dtypes equal torch state_dict()', (id, c) => {
    const sd = ELMAN[id]!().stateDict();
    expect(Object.entries(sd).map(([k, t]) => [k, [...t.shape], t.dtype])).toEqual(c.state_dict);
    const expected = Object.fromEntries(c.state_dict.map(([k, shape]) => [k, [shape, 'F32']]));
    expect(header(saveSafetensors(sd))).toEqual(expected);
  });

  it("shows the tagger's torch twin in the guide exactly as the fixture builds it", () => {
    expect(guide).toContain(cases.find((c) => c.id === 'tagger')!.torch);
  });
});
