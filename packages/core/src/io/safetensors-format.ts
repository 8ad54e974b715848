/**
 * Constants and byte helpers shared by the safetensors reader and writer.
 * Format: https://github.com/huggingface/safetensors (8-byte little-endian u64 header length N, N bytes of UTF-8
 * JSON header, then the data buffer that the header's `data_offsets` index into).
 */
import type { DType, Tensor } from '../tensor.js';

/** The reserved header key carrying free-form string → string metadata. */
export const METADATA_KEY = '__metadata__';

/** The reference reader refuses headers above 100 MB; so do we (a larger length means a corrupt file). */
export const MAX_HEADER_BYTES = 100_000_000;

/** safetensors dtype names of the two element types Elman stores; both are 4 bytes wide. */
export const SAFETENSORS_DTYPE: Readonly<Record<DType, string>> = { float32: 'F32', int32: 'I32' };

/** Bytes per element of every supported safetensors dtype. */
export const BYTES_PER_ELEMENT = 4;

/** The supported safetensors dtypes mapped back to Elman dtypes. */
export const ELMAN_DTYPE: ReadonlyMap<string, DType> = new Map([
  ['F32', 'float32'],
  ['I32', 'int32'],
]);

/** What `loadSafetensors` returns: the tensors by name (in data-buffer order) and the `__metadata__` map. */
export interface SafetensorsContents {
  /** Tensors by name, each owning a fresh copy of its data. */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` map; empty when the file has none. */
  metadata: Record<string, string>;
}

/** True on little-endian hosts (every mainstream one), where typed-array bytes are already in file order. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Reverses the byte order of every 4-byte word in place (file order ↔ host order on big-endian hosts). */
export function swapBytes32(bytes: Uint8Array): void {
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1]!;
    bytes[i] = bytes[i + 3]!;
    bytes[i + 1] = bytes[i + 2]!;
    bytes[i + 2] = b1;
    bytes[i + 3] = b0;
  }
}

/**
 * Orders strings by Unicode code point, which is the UTF-8 byte order the reference writer (Rust `String::cmp`)
 * uses. Plain `<` compares UTF-16 code units and puts astral characters (surrogates, 0xD800–0xDFFF) before
 * U+E000–U+FFFF; shifting surrogates above that range restores code-point order.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit < 0xe000) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

/** Records with a `__proto__` key need a defined property, not an assignment (which would set the prototype). */
export function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
