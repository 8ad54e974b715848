import { type LoadStateDictResult, type Module, SerializationError, StateDictError, type Tensor, fmtShape } from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { decodeModel } from './decode-model.js';
import { int64 } from './proto.js';
import { elemTypeName, tensorFromProto } from './tensor-proto.js';

/** Options of {@link importOnnxWeights}. */
export interface ImportOnnxWeightsOptions {
  /**
   * Require the initializers to cover the module's state dict exactly (default true). When false, missing keys are
   * left unchanged and initializers the module does not have are ignored; both are reported in the result.
   */
  strict?: boolean;
}

const DTYPE_OF: Readonly<Record<number, string>> = { 1: 'float32', 6: 'int32' };

/**
 * Copies the initializers of an ONNX model back into a module's parameters and buffers, by state-dict name: the
 * inverse of {@link exportOnnx}, whose initializers carry those names (`0.weight`). A parameter shared under two
 * names (tied weights) is exported once and filled from whichever name the model has. Nothing is copied unless the
 * whole import is valid.
 *
 * @param bytes - An encoded ModelProto (the contents of a `.onnx` file).
 * @param module - The module to fill; its architecture must match the exported one.
 * @param options - `strict` (default true).
 * @returns The keys left missing and the initializers ignored (both empty after a strict import).
 * @throws StateDictError listing every missing key, unexpected initializer (when strict) and wrong shape or dtype.
 * @throws SerializationError when the bytes are not an ONNX model, or a needed initializer is not FLOAT/INT32 or
 *   keeps its data in an external file.
 */
export function importOnnxWeights(bytes: Uint8Array, module: Module, options: ImportOnnxWeightsOptions = {}): LoadStateDictResult {
  const op = 'importOnnxWeights';
  const strict = options.strict ?? true;
  const model = decodeModel(op, bytes);
  const initializers = new Map<string, OnnxTypes.ITensorProto>();
  for (const t of model.graph?.initializer ?? []) {
    const name = t.name ?? '';
    if (initializers.has(name)) throw new SerializationError(`${op}: the model has two initializers named '${name}'`);
    initializers.set(name, t);
  }

  const expected = Object.entries(module.stateDict());
  // State-dict keys grouped by storage: tied parameters share their data array.
  const namesOf = new Map<Tensor['data'], string[]>();
  for (const [key, t] of expected) namesOf.set(t.data, [...(namesOf.get(t.data) ?? []), key]);

  const used = new Set<string>();
  const missingKeys: string[] = [];
  const mismatched: string[] = [];
  const dict: Record<string, Tensor> = {};
  for (const [key, target] of expected) {
    const source = initializers.has(key) ? key : namesOf.get(target.data)!.find((alias) => initializers.has(alias));
    if (source === undefined) {
      missingKeys.push(key);
      continue;
    }
    used.add(source);
    const proto = initializers.get(source)!;
    const dims = (proto.dims ?? []).map(int64);
    const dtype = DTYPE_OF[proto.dataType ?? 0] ?? elemTypeName(proto.dataType);
    if (dtype !== target.dtype || dims.length !== target.rank || dims.some((d, i) => d !== target.shape[i])) {
      mismatched.push(`${key}: expected ${target.dtype} ${fmtShape(target.shape)}, got ${dtype} ${fmtShape(dims)}`);
      continue;
    }
    dict[key] = tensorFromProto(op, proto);
  }
  const unexpectedKeys = [...initializers.keys()].filter((name) => !used.has(name));

  const problems: string[] = [];
  if (strict && missingKeys.length > 0) problems.push(`missing keys (${missingKeys.length}): ${missingKeys.join(', ')}`);
  if (strict && unexpectedKeys.length > 0) {
    problems.push(`unexpected initializers (${unexpectedKeys.length}): ${unexpectedKeys.join(', ')}`);
  }
  if (mismatched.length > 0) problems.push(`wrong shape or dtype (${mismatched.length}): ${mismatched.join('; ')}`);
  if (problems.length > 0) {
    throw new StateDictError(`${op}: the ONNX initializers do not match ${module.constructor.name}'s state dict:\n  ${problems.join('\n  ')}`);
  }
  module.loadStateDict(dict, { strict: false });
  return { missingKeys, unexpectedKeys };
}
