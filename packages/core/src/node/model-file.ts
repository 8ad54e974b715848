import type { Tensor } from '../tensor.js';
import { loadSafetensorsFile, saveSafetensorsFile } from './safetensors-file.js';

/** What {@link saveModel} and {@link loadModel} need from a module: `nn.Module` satisfies it. */
export interface StateDictModule {
  /** Parameters and buffers by dotted name. */
  stateDict(): Record<string, Tensor>;
  /** Copies tensors into the module; `strict` rejects missing or unexpected keys. */
  loadStateDict(dict: Record<string, Tensor>, options?: { strict?: boolean }): unknown;
}

/**
 * Saves a module's `stateDict()` as a safetensors file (atomically), with PyTorch's key names and shapes, so it
 * loads into the equivalent PyTorch model with `safetensors.torch.load_file`.
 *
 * @example
 * ```ts run
 * import { Linear } from '@elman/core';
 * import { loadModel, saveModel } from '@elman/core/node';
 *
 * const model = new Linear(4, 2);
 * await saveModel('linear.safetensors', model, { config: JSON.stringify({ inFeatures: 4, outFeatures: 2 }) });
 * const copy = new Linear(4, 2);
 * const metadata = await loadModel('linear.safetensors', copy); // the file is validated before copy is touched
 * console.log(metadata.config); // '{"inFeatures":4,"outFeatures":2}'
 * ```
 *
 * @param path - Destination file.
 * @param module - The model.
 * @param metadata - Optional string → string map stored as `__metadata__`, e.g. `{config: JSON.stringify(cfg)}`.
 */
export async function saveModel(path: string, module: StateDictModule, metadata?: Record<string, string>): Promise<void> {
  await saveSafetensorsFile(path, module.stateDict(), metadata);
}

/**
 * Loads a safetensors file into a module with `module.loadStateDict`. The file is validated completely before the
 * module is touched.
 *
 * @param path - The file to read.
 * @param module - The model to fill.
 * @param options - `strict` (default true): missing or unexpected keys are an error.
 * @returns The file's `__metadata__` map (empty when absent).
 */
export async function loadModel(
  path: string,
  module: StateDictModule,
  options: { strict?: boolean } = {},
): Promise<Record<string, string>> {
  const { tensors, metadata } = await loadSafetensorsFile(path);
  module.loadStateDict(tensors, { strict: options.strict ?? true });
  return metadata;
}
