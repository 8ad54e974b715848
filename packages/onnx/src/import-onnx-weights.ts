import { fromOnnx } from '@elman/wrappers';
import { type LoadStateDictResult, type Module, SerializationError, StateDictError, type Tensor, fmtShape } from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { decodeModel } from './decode-model.js';
import { int64 } from './proto.js';
import { recurrentGroups } from './exporters/recurrent.js';
import { elemTypeName, tensorFromProto, tensorToProto } from './tensor-proto.js';

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
 * Replaces the `W`, `R`, `B` initializers of every exported recurrence in `module` (`lstm.W_l0`, …) by the
 * PyTorch-layout tensors they hold (`lstm.weight_ih_l0`, `lstm.weight_ih_l0_reverse`, …), undoing the gate
 * permutation with `fromOnnx`, so the state-dict matching below applies unchanged.
 */
function recurrentToStateDict(op: string, module: Module, initializers: Map<string, OnnxTypes.ITensorProto>): void {
  for (const [path, sub] of module.namedModules()) {
    const prefix = path === '' ? '' : `${path}.`;
    for (const g of recurrentGroups(sub) ?? []) {
      const [w, r, b] = ['W', 'R', 'B'].map((n) => `${prefix}${n}${g.suffix}`) as [string, string, string];
      const W = initializers.get(w);
      const R = initializers.get(r);
      if (!W || !R) continue;
      const B = initializers.get(b);
      const directions = fromOnnx(g.mode, {
        W: tensorFromProto(op, W),
        R: tensorFromProto(op, R),
        B: B ? tensorFromProto(op, B) : null,
      });
      if (directions.length !== g.keys.length) {
        throw new StateDictError(
          `${op}: initializer '${w}' holds ${directions.length} direction(s) but ${sub.constructor.name} at '${path}' has ${g.keys.length}`,
        );
      }
      for (const n of [w, r, b]) initializers.delete(n);
      directions.forEach((dir, d) => {
        const keys = g.keys[d]!;
        const pairs: [string | null, Tensor | null][] = [
          [keys.weightIh, dir.weightIh],
          [keys.weightHh, dir.weightHh],
          [keys.biasIh, dir.biasIh],
          [keys.biasHh, dir.biasHh],
        ];
        for (const [key, t] of pairs) if (key && t) initializers.set(`${prefix}${key}`, tensorToProto(`${prefix}${key}`, t));
      });
    }
  }
}

/**
 * Copies the initializers of an ONNX model back into a module's parameters and buffers, by state-dict name: the
 * inverse of {@link exportOnnx}, whose initializers carry those names (`0.weight`). A recurrence's ONNX weights
 * `W_l{k}`, `R_l{k}`, `B_l{k}` are converted back to PyTorch's layout and names (`weight_ih_l{k}`, …, `_reverse`). A parameter shared under two
 * names (tied weights) is exported once and filled from whichever name the model has. Nothing is copied unless the
 * whole import is valid.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { exportOnnx, importOnnxWeights } from '@elman/onnx';
 * import { gru } from '@elman/wrappers';
 *
 * const trained = gru({ inputSize: 8, hiddenSize: 16, bidirectional: true });
 * const bytes = exportOnnx(trained, randn([2, 5, 8])); // ONNX W/R/B initializers
 * const copy = gru({ inputSize: 8, hiddenSize: 16, bidirectional: true });
 * const { missingKeys, unexpectedKeys } = importOnnxWeights(bytes, copy); // back to weight_ih_l0, …_reverse
 * console.log(missingKeys, unexpectedKeys); // [] []
 * ```
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
  recurrentToStateDict(op, module, initializers);

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
