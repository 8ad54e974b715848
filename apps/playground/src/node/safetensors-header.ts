/** The parsed header of a safetensors file. */
export interface SafetensorsHeader {
  /** Each tensor's dtype, shape and byte range within the data section. */
  tensors: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  /** The `__metadata__` strings (empty when absent). */
  metadata: Record<string, string>;
  /** Bytes of the data section. */
  dataBytes: number;
}

/**
 * Reads a safetensors header independently of @elman/core's reader, as the Hugging Face format specifies it: an
 * 8-byte little-endian header length, a JSON header, then the data. Checks that every tensor's byte range is inside
 * the data, that its size matches dtype × shape, and that the ranges tile the data section exactly.
 */
export function parseSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.byteLength < 8) throw new Error(`safetensors: ${bytes.byteLength} bytes is shorter than the 8-byte length prefix`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.byteLength) throw new Error(`safetensors: header of ${n} bytes does not fit in ${bytes.byteLength} bytes`);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const { __metadata__: metadata = {}, ...tensors } = json as { __metadata__?: Record<string, string> } & SafetensorsHeader['tensors'];
  const dataBytes = bytes.byteLength - 8 - n;
  const widths: Record<string, number> = { F32: 4, I32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, U8: 1 };
  const ranges: [number, number][] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const width = widths[t.dtype];
    if (width === undefined) throw new Error(`safetensors: ${name} has unknown dtype ${t.dtype}`);
    const [start, end] = t.data_offsets;
    const size = t.shape.reduce((a, b) => a * b, 1) * width;
    if (!(start >= 0 && end <= dataBytes && end - start === size)) {
      throw new Error(`safetensors: ${name} [${t.shape.join(', ')}] ${t.dtype} has byte range [${start}, ${end}) in ${dataBytes} data bytes`);
    }
    ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [start, end] of ranges) {
    if (start !== at) throw new Error(`safetensors: data bytes [${at}, ${start}) belong to no tensor or overlap`);
    at = end;
  }
  if (at !== dataBytes) throw new Error(`safetensors: ${dataBytes - at} trailing data bytes belong to no tensor`);
  return { tensors, metadata, dataBytes };
}
