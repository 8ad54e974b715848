import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { SerializationError } from '../errors.js';
import { saveSafetensors } from '../io/index.js';
import type { Tensor } from '../tensor.js';
import { type StateDictModule, loadModel, loadSafetensorsFile, saveModel, saveSafetensorsFile } from './index.js';

let dir: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'elman-st-'));
});

afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** A stand-in for nn.Module: the structural type is all the helpers rely on. */
class FakeModule implements StateDictModule {
  loaded: Array<{ dict: Record<string, Tensor>; options: { strict?: boolean } | undefined }> = [];
  constructor(private readonly state: Record<string, Tensor>) {}
  stateDict(): Record<string, Tensor> {
    return this.state;
  }
  loadStateDict(dict: Record<string, Tensor>, options?: { strict?: boolean }): void {
    this.loaded.push({ dict, options });
  }
}

const state = () => ({
  'layer.weight': tensor([[1, 2], [3, 4]]), // [2, 2]
  'layer.bias': tensor([0.5, -0.5]), // [2]
  steps: tensor(12, undefined, { dtype: 'int32' }), // []
});

describe('safetensors files', () => {
  it('saves the same bytes as saveSafetensors and loads them back', async () => {
    const path = join(dir, 'a.safetensors');
    await saveSafetensorsFile(path, state(), { note: 'x' });
    expect(new Uint8Array(await fsp.readFile(path))).toEqual(saveSafetensors(state(), { note: 'x' }));
    const { tensors, metadata } = await loadSafetensorsFile(path);
    expect(metadata).toEqual({ note: 'x' });
    expect(tensors['layer.weight']!.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensors.steps!.dtype).toBe('int32');
    expect(await fsp.readdir(dir)).toEqual(['a.safetensors']);
  });

  it('names the file in errors about a truncated file', async () => {
    const path = join(dir, 'cut.safetensors');
    const bytes = saveSafetensors(state());
    await fsp.writeFile(path, bytes.subarray(0, bytes.length - 3));
    const err = await loadSafetensorsFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerializationError);
    expect((err as Error).message).toContain(`${path}: loadSafetensors: `);
    expect((err as Error).cause).toBeInstanceOf(SerializationError);
  });

  it('passes file-system errors through unchanged', async () => {
    await expect(loadSafetensorsFile(join(dir, 'nope.safetensors'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('saveModel / loadModel', () => {
  it('round-trips a state dict and returns the metadata', async () => {
    const path = join(dir, 'model.safetensors');
    await saveModel(path, new FakeModule(state()), { config: '{"hidden":2}' });
    const target = new FakeModule({});
    expect(await loadModel(path, target)).toEqual({ config: '{"hidden":2}' });
    expect(target.loaded).toHaveLength(1);
    const { dict, options } = target.loaded[0]!;
    expect(options).toEqual({ strict: true });
    expect(Object.keys(dict).sort()).toEqual(['layer.bias', 'layer.weight', 'steps']);
    expect(dict['layer.bias']!.toArray()).toEqual([0.5, -0.5]);
  });

  it('forwards strict: false', async () => {
    const path = join(dir, 'model.safetensors');
    await saveModel(path, new FakeModule(state()));
    const target = new FakeModule({});
    expect(await loadModel(path, target, { strict: false })).toEqual({});
    expect(target.loaded[0]!.options).toEqual({ strict: false });
  });

  it('does not touch the module when the file is malformed', async () => {
    const path = join(dir, 'bad.safetensors');
    await fsp.writeFile(path, new TextEncoder().encode('not a safetensors file'));
    const target = new FakeModule({});
    await expect(loadModel(path, target)).rejects.toThrow(SerializationError);
    expect(target.loaded).toEqual([]);
  });
});
