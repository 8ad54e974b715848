import { SerializationError } from '../errors.js';
import { Tensor } from '../tensor.js';
import {
  BYTES_PER_ELEMENT,
  HOST_IS_LITTLE_ENDIAN,
  MAX_HEADER_BYTES,
  METADATA_KEY,
  SAFETENSORS_DTYPE,
  compareCodePoints,
  swapBytes32,
} from './safetensors-format.js';

// A lone surrogate cannot be encoded as UTF-8; with the `u` flag a proper pair is one code point, so only lone ones match.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Serializes tensors (e.g. a `stateDict()`) to the Hugging Face safetensors format, byte for byte what the reference
 * writer produces: tensors ordered F32 before I32 and then by name (code-point order), a compact JSON header
 * (`__metadata__` first, its keys sorted) padded with spaces so the data starts 8-byte aligned, and little-endian
 * data. The result loads in PyTorch with `safetensors.torch.load`.
 *
 * @example
 * ```ts run
 * import { Linear, loadSafetensors, saveSafetensors } from '@elman/core';
 *
 * const model = new Linear(4, 2);
 * const bytes = saveSafetensors(model.stateDict(), { config: JSON.stringify({ inFeatures: 4, outFeatures: 2 }) });
 * // bytes is a .safetensors file: safetensors.torch.load(bytes) in Python gives the same weight [2, 4] and bias [2]
 * const { tensors, metadata } = loadSafetensors(bytes);
 * new Linear(4, 2).loadStateDict(tensors);
 * console.log(Object.keys(tensors), JSON.parse(metadata.config ?? '{}'));
 * ```
 *
 * @param tensors - Tensors by name. The name `__metadata__` is reserved.
 * @param metadata - Optional string → string map stored as `__metadata__` (e.g. the model config as JSON).
 * @returns The whole file.
 * @throws SerializationError when a value is not a Tensor, a metadata value is not a string, a name is not
 *   valid Unicode, or the header would exceed the 100 MB readers accept.
 */
export function saveSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) {
      throw new SerializationError(`saveSafetensors: value of "${name}" is not a Tensor (got ${describe(t)})`);
    }
    if (name === METADATA_KEY) {
      throw new SerializationError(`saveSafetensors: "${METADATA_KEY}" is reserved and cannot name a tensor`);
    }
    checkUnicode('tensor name', name);
  }
  // The reference writer sorts by dtype, descending in its enum (F32 before I32), then by name.
  entries.sort(([na, a], [nb, b]) => (a.dtype === b.dtype ? compareCodePoints(na, nb) : a.dtype === 'float32' ? -1 : 1));

  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`${JSON.stringify(METADATA_KEY)}:${metadataJson(metadata)}`);
  let offset = 0;
  for (const [name, t] of entries) {
    const end = offset + t.size * BYTES_PER_ELEMENT;
    const info = `{"dtype":"${SAFETENSORS_DTYPE[t.dtype]}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`;
    parts.push(`${JSON.stringify(name)}:${info}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new SerializationError(
      `saveSafetensors: the header would take ${headerLength} bytes, beyond the ${MAX_HEADER_BYTES}-byte limit readers accept`,
    );
  }

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const [, t] of entries) {
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(src, pos);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytes32(out.subarray(pos, pos + src.length));
    pos += src.length;
  }
  return out;
}

function metadataJson(metadata: Record<string, string>): string {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new SerializationError(`saveSafetensors: metadata must be a string → string object, got ${describe(metadata)}`);
  }
  const keys = Object.keys(metadata).sort(compareCodePoints);
  const parts: string[] = [];
  for (const key of keys) {
    const value: unknown = metadata[key];
    if (typeof value !== 'string') {
      throw new SerializationError(`saveSafetensors: metadata value of "${key}" must be a string, got ${describe(value)}`);
    }
    checkUnicode('metadata key', key);
    checkUnicode(`metadata value of "${key}"`, value);
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
}

function checkUnicode(what: string, s: string): void {
  if (LONE_SURROGATE.test(s)) {
    throw new SerializationError(`saveSafetensors: ${what} ${JSON.stringify(s)} holds a lone UTF-16 surrogate and is not valid Unicode`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}
