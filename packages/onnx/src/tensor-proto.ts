import { SerializationError, Tensor, fmtShape, sizeOf } from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { int64, onnx } from './proto.js';

/**
 * Element types of the values in exported graphs: Elman's two dtypes, int64 for the shape and axes operands some
 * ops require (`Reshape`'s shape), which only `Constant` and `Shape` nodes produce, and bool for the conditions of
 * `Where` (attention masks).
 */
export type OnnxDType = 'float32' | 'int32' | 'int64' | 'bool';

const ELEM_TYPE: Readonly<Record<OnnxDType, number>> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** The `TensorProto.DataType` code of a dtype. */
export function elemTypeOf(dtype: OnnxDType): number {
  return ELEM_TYPE[dtype];
}

/** The name of a `TensorProto.DataType` code for messages, e.g. `FLOAT` (or the number when unknown). */
export function elemTypeName(code: number | null | undefined): string {
  return onnx.TensorProto.DataType[code ?? 0] ?? String(code);
}

/**
 * An Elman tensor as a TensorProto: float32 or int32 values in `raw_data`, little-endian as ONNX requires
 * whatever the host's byte order.
 */
export function tensorToProto(name: string, t: Tensor): OnnxTypes.TensorProto {
  const raw = new Uint8Array(t.size * 4);
  const view = new DataView(raw.buffer);
  const src = t.data;
  if (t.dtype === 'float32') for (let i = 0; i < src.length; i++) view.setFloat32(4 * i, src[i]!, true);
  else for (let i = 0; i < src.length; i++) view.setInt32(4 * i, src[i]!, true);
  return onnx.TensorProto.create({ name, dims: [...t.shape], dataType: elemTypeOf(t.dtype), rawData: raw });
}

/**
 * Reads a float32 or int32 TensorProto (values in `raw_data` or in the typed `float_data`/`int32_data` field) as a
 * new Elman tensor. Other element types, external data and a value count that disagrees with the dims are a
 * `SerializationError` naming the tensor.
 */
export function tensorFromProto(op: string, p: OnnxTypes.ITensorProto): Tensor {
  const name = p.name ?? '';
  const shape = (p.dims ?? []).map(int64);
  const n = sizeOf(shape);
  if (p.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new SerializationError(`${op}: tensor '${name}' keeps its data in an external file, which is not supported`);
  }
  const type = p.dataType ?? 0;
  const isFloat = type === onnx.TensorProto.DataType.FLOAT;
  if (!isFloat && type !== onnx.TensorProto.DataType.INT32) {
    throw new SerializationError(`${op}: tensor '${name}' ${fmtShape(shape)} has element type ${elemTypeName(type)}; only FLOAT and INT32 are read`);
  }
  const raw = p.rawData;
  const typed = isFloat ? p.floatData : p.int32Data;
  const count = raw && raw.length > 0 ? raw.length / 4 : (typed?.length ?? 0);
  if (count !== n) {
    throw new SerializationError(`${op}: tensor '${name}' has ${count} values but its dims ${fmtShape(shape)} need ${n}`);
  }
  const data = isFloat ? new Float32Array(n) : new Int32Array(n);
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (isFloat) for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true);
    else for (let i = 0; i < n; i++) data[i] = view.getInt32(4 * i, true);
  } else if (typed) {
    data.set(typed);
  }
  return new Tensor(data, shape);
}
