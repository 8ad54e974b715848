import { SerializationError, Tensor, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { onnx } from './proto.js';
import { tensorFromProto, tensorToProto } from './tensor-proto.js';

describe('TensorProto conversion', () => {
  it('writes float32 and int32 values little-endian in raw_data with the dims', () => {
    const p = tensorToProto('w', tensor([[1.5, -2], [0.25, 3]]));
    expect([p.name, p.dims, p.dataType]).toEqual(['w', [2, 2], onnx.TensorProto.DataType.FLOAT]);
    expect([...p.rawData.subarray(0, 4)]).toEqual([0x00, 0x00, 0xc0, 0x3f]);
    const ids = tensorToProto('i', new Tensor(new Int32Array([1, -1]), [2]));
    expect(ids.dataType).toBe(onnx.TensorProto.DataType.INT32);
    expect([...ids.rawData]).toEqual([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  });

  it('reads back raw_data (at any byte offset) and the typed float_data / int32_data fields', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6.5]]);
    const decoded = onnx.TensorProto.decode(onnx.TensorProto.encode(tensorToProto('t', t)).finish());
    const back = tensorFromProto('test', decoded);
    expect([back.shape, [...back.data]]).toEqual([[2, 3], [1, 2, 3, 4, 5, 6.5]]);
    const shifted = new Uint8Array(decoded.rawData.length + 1);
    shifted.set(decoded.rawData, 1);
    const unaligned = tensorFromProto('test', { ...decoded, rawData: shifted.subarray(1) });
    expect([...unaligned.data]).toEqual([1, 2, 3, 4, 5, 6.5]);
    const typed = tensorFromProto('test', { name: 'f', dims: [2], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [0.5, -1] });
    expect([typed.dtype, [...typed.data]]).toEqual(['float32', [0.5, -1]]);
    const ints = tensorFromProto('test', { name: 'i', dims: [3], dataType: onnx.TensorProto.DataType.INT32, int32Data: [7, 8, -9] });
    expect([ints.dtype, [...ints.data]]).toEqual(['int32', [7, 8, -9]]);
    const scalar = tensorFromProto('test', { name: 's', dims: [], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [2] });
    expect([scalar.shape, scalar.item()]).toEqual([[], 2]);
  });

  it('rejects other element types, external data and value counts that disagree with the dims', () => {
    const F = onnx.TensorProto.DataType.FLOAT;
    expect(() => tensorFromProto('op', { name: 'd', dims: [1], dataType: onnx.TensorProto.DataType.DOUBLE, doubleData: [1] })).toThrow(
      new SerializationError("op: tensor 'd' [1] has element type DOUBLE; only FLOAT and INT32 are read"),
    );
    expect(() => tensorFromProto('op', { name: 'x', dims: [2], dataType: F, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL })).toThrow(
      /tensor 'x' keeps its data in an external file/,
    );
    expect(() => tensorFromProto('op', { name: 'c', dims: [2, 2], dataType: F, floatData: [1, 2, 3] })).toThrow(
      new SerializationError("op: tensor 'c' has 3 values but its dims [2, 2] need 4"),
    );
    expect(() => tensorFromProto('op', { name: 'r', dims: [1], dataType: F, rawData: new Uint8Array(6) })).toThrow(/has 1.5 values/);
  });
});
