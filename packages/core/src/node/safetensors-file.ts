import { readFile } from 'node:fs/promises';
import { SerializationError } from '../errors.js';
import { loadSafetensors, saveSafetensors, type SafetensorsContents } from '../io/index.js';
import type { Tensor } from '../tensor.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * Saves tensors to a safetensors file, atomically (see {@link writeFileAtomic}): a crash leaves the old file or the
 * new one, never a truncated file.
 *
 * @param path - Destination file.
 * @param tensors - Tensors by name.
 * @param metadata - Optional string → string map stored as `__metadata__`.
 */
export async function saveSafetensorsFile(
  path: string,
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  await writeFileAtomic(path, saveSafetensors(tensors, metadata));
}

/**
 * Reads and validates a safetensors file (see `loadSafetensors`).
 *
 * @param path - The file to read.
 * @returns The tensors by name and the `__metadata__` map.
 * @throws SerializationError (prefixed with the path) when the file is truncated or malformed.
 */
export async function loadSafetensorsFile(path: string): Promise<SafetensorsContents> {
  const bytes = await readFile(path);
  try {
    return loadSafetensors(bytes);
  } catch (err) {
    if (err instanceof SerializationError) throw new SerializationError(`${path}: ${err.message}`, { cause: err });
    throw err;
  }
}
