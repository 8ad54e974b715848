import { ValueError } from '@elman/core';

/** Lowest `ai.onnx` opset {@link exportOnnx} writes (ONNX 1.8). */
export const MIN_OPSET = 13;
/** Highest `ai.onnx` opset {@link exportOnnx} writes (ONNX 1.18). */
export const MAX_OPSET = 23;

// The IR version each opset first appeared with (onnx/helper.py VERSION_TABLE): a runtime that knows the opset
// also knows that IR version, so the model never claims a newer IR than it needs.
const IR_FOR_OPSET: readonly [maxOpset: number, ir: number][] = [
  [14, 7],
  [18, 8],
  [20, 9],
  [22, 10],
  [23, 11],
];

/** The IR version to write for `opset`, after checking that the opset is supported. */
export function irVersionFor(op: string, opset: number): number {
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new ValueError(`${op}: opset must be an integer in [${MIN_OPSET}, ${MAX_OPSET}], got ${opset}`);
  }
  return IR_FOR_OPSET.find(([maxOpset]) => opset <= maxOpset)![1];
}
