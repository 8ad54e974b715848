import { SerializationError, fmtShape } from '../errors.js';
import { type DType, Tensor } from '../tensor.js';
import { findDuplicateKey } from './duplicate-keys.js';
import {
  BYTES_PER_ELEMENT,
  ELMAN_DTYPE,
  HOST_IS_LITTLE_ENDIAN,
  MAX_HEADER_BYTES,
  METADATA_KEY,
  type SafetensorsContents,
  setOwn,
  swapBytes32,
} from './safetensors-format.js';

/** One validated header entry. */
interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses a Hugging Face safetensors file (F32 and I32 tensors). Accepts any `Uint8Array` view, including ones at a
 * non-zero or unaligned byte offset (e.g. a Node `Buffer` slice): every tensor gets a fresh, aligned copy of its data.
 *
 * The whole file is validated before any tensor is built, so a truncated or malformed file is an error, never a
 * partial result: header length within the file, UTF-8 JSON object starting with `{`, no duplicate keys, known dtypes,
 * shapes of non-negative integers, `data_offsets` of `[begin, end]` matching the shape, and tensors covering the data
 * buffer exactly (no overlaps, no holes, no trailing bytes).
 *
 * @example
 * ```ts run
 * import { readFile, writeFile } from 'node:fs/promises';
 * import { LayerNorm, loadSafetensors, saveSafetensors } from '@elman/core';
 *
 * await writeFile('norm.safetensors', saveSafetensors(new LayerNorm(8).stateDict()));
 * const { tensors, metadata } = loadSafetensors(await readFile('norm.safetensors')); // a Buffer is a Uint8Array
 * const norm = new LayerNorm(8);
 * norm.loadStateDict(tensors); // strict: missing, unexpected or wrong-shape keys throw one StateDictError
 * console.log(Object.keys(tensors), metadata); // ['bias', 'weight'] {}
 * ```
 *
 * @param bytes - The whole file.
 * @returns The tensors by name (in data-buffer order) and the `__metadata__` map (empty when absent).
 * @throws SerializationError naming the problem, and the tensor when one is at fault.
 */
export function loadSafetensors(bytes: Uint8Array): SafetensorsContents {
  // A tag check rather than instanceof: arrays from another realm (iframe, jsdom, vm context) must pass too.
  const tag = Object.prototype.toString.call(bytes);
  if (tag !== '[object Uint8Array]') {
    throw new SerializationError(`loadSafetensors: expected a Uint8Array, got ${tag.slice(8, -1)}`);
  }
  if (bytes.length < 8) {
    throw new SerializationError(
      `loadSafetensors: file is ${bytes.length} bytes, shorter than the 8-byte header length (truncated file?)`,
    );
  }
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw new SerializationError(
      `loadSafetensors: header length ${declared} exceeds the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file?)`,
    );
  }
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) {
    throw new SerializationError(
      `loadSafetensors: header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated file?)`,
    );
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const { entries, metadata } = parseHeader(bytes.subarray(8, dataStart), dataLength);
  checkCoverage(entries, dataLength);

  const tensors: Record<string, Tensor> = {};
  for (const e of entries) {
    const src = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    const n = src.length / BYTES_PER_ELEMENT;
    const data = e.dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
    const dst = new Uint8Array(data.buffer);
    dst.set(src);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytes32(dst);
    setOwn(tensors, e.name, new Tensor(data, e.shape));
  }
  return { tensors, metadata };
}

function parseHeader(raw: Uint8Array, dataLength: number): { entries: Entry[]; metadata: Record<string, string> } {
  let text: string;
  try {
    // ignoreBOM keeps a byte-order mark in the text so that the `{` check below rejects it, as the spec requires.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    throw new SerializationError('loadSafetensors: header is not valid UTF-8');
  }
  if (!text.startsWith('{')) {
    throw new SerializationError(`loadSafetensors: header must be a JSON object starting with "{", got ${JSON.stringify(text.slice(0, 20))}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw new SerializationError(`loadSafetensors: header is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SerializationError('loadSafetensors: header must be a JSON object');
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new SerializationError(`loadSafetensors: header has the key ${JSON.stringify(duplicate)} more than once`);
  }

  const entries: Entry[] = [];
  const metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) readMetadata(info, metadata);
    else entries.push(readEntry(name, info, dataLength));
  }
  return { entries, metadata };
}

function readMetadata(value: unknown, into: Record<string, string>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SerializationError(`loadSafetensors: "${METADATA_KEY}" must be an object of strings, got ${JSON.stringify(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new SerializationError(
        `loadSafetensors: "${METADATA_KEY}" value of ${JSON.stringify(key)} must be a string, got ${JSON.stringify(v)}`,
      );
    }
    setOwn(into, key, v);
  }
}

function readEntry(name: string, info: unknown, dataLength: number): Entry {
  const where = `loadSafetensors: tensor ${JSON.stringify(name)}`;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new SerializationError(`${where}: entry must be an object with dtype, shape and data_offsets`);
  }
  const { dtype: tag, shape, data_offsets: offsets } = info as Record<string, unknown>;
  const dtype = typeof tag === 'string' ? ELMAN_DTYPE.get(tag) : undefined;
  if (dtype === undefined) {
    throw new SerializationError(
      `${where}: unsupported dtype ${JSON.stringify(tag)}; supported: ${[...ELMAN_DTYPE.keys()].join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new SerializationError(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  // Bounding the running product by the buffer keeps it exact (no float overflow from absurd dimensions).
  let numel = shape.includes(0) ? 0 : 1;
  for (const d of shape as number[]) {
    numel *= d;
    if (numel * BYTES_PER_ELEMENT > dataLength) {
      throw new SerializationError(
        `${where}: shape ${fmtShape(shape)} needs more bytes than the ${dataLength}-byte data buffer holds (truncated file?)`,
      );
    }
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new SerializationError(`${where}: data_offsets must be [begin, end] of non-negative integers, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const needed = numel * BYTES_PER_ELEMENT;
  if (end < begin || end - begin !== needed) {
    throw new SerializationError(
      `${where}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${tag} ${fmtShape(shape)} needs ${needed}`,
    );
  }
  if (end > dataLength) {
    throw new SerializationError(
      `${where}: data_offsets [${begin}, ${end}] run past the end of the ${dataLength}-byte data buffer (truncated file?)`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function isCount(v: unknown): boolean {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

/** The format forbids holes: sorted by offset, each tensor must start where the previous one ended. */
function checkCoverage(entries: Entry[], dataLength: number): void {
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: Entry | undefined;
  for (const e of entries) {
    if (previous && e.begin < cursor) {
      throw new SerializationError(
        `loadSafetensors: tensor ${JSON.stringify(e.name)} (data_offsets [${e.begin}, ${e.end}]) overlaps ` +
          `${JSON.stringify(previous.name)} (data_offsets [${previous.begin}, ${previous.end}])`,
      );
    }
    if (e.begin > cursor) {
      throw new SerializationError(
        `loadSafetensors: bytes [${cursor}, ${e.begin}) of the data buffer belong to no tensor (before ${JSON.stringify(e.name)})`,
      );
    }
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataLength) {
    throw new SerializationError(
      `loadSafetensors: bytes [${cursor}, ${dataLength}) at the end of the data buffer belong to no tensor`,
    );
  }
}
