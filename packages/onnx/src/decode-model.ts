import { SerializationError } from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './proto.js';

/** Decodes ONNX bytes as a ModelProto; bytes that do not parse (truncated, another format) are a `SerializationError`. */
export function decodeModel(op: string, bytes: Uint8Array): OnnxTypes.ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new SerializationError(`${op}: expected the model as a Uint8Array, got ${typeof bytes}`);
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new SerializationError(`${op}: ${bytes.length} bytes are not an ONNX ModelProto (${(e as Error).message})`);
  }
  return model;
}
