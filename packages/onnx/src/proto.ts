import onnxProto from 'onnx-proto';

// onnx-proto is a CommonJS protobufjs static module; Node's ESM loader only exposes its `module.exports` as the
// default export, so the namespace is taken from there (types come from `import type { onnx }` where needed).
/** The generated protobufjs classes of onnx.proto (`ModelProto`, `GraphProto`, `TensorProto`, …). */
export const onnx = onnxProto.onnx;

/** A protobuf int64 as protobufjs decodes it: a number, or a `Long` when the `long` package is present. */
export type Int64 = number | { toNumber(): number };

/** A decoded int64 field as a JavaScript number (ONNX dims, attribute ints and versions fit in 2^53). */
export function int64(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
