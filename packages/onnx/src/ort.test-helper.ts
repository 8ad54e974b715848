// Test-only helpers (excluded from the build): run exported bytes in onnxruntime-node and compare with Elman.
import { type Module, Tensor } from '@elman/core';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { expect } from 'vitest';
import { checkOnnxModel } from './check-model.js';
import { type ExportOnnxOptions, exportOnnx } from './export-onnx.js';
import { int64, onnx } from './proto.js';

/** An onnxruntime session over exported bytes, fed and read as Elman tensors. */
export interface OrtModel {
  /** The session's input names. */
  inputNames: readonly string[];
  /** The session's output names. */
  outputNames: readonly string[];
  /** Runs the model on Elman tensors and returns its outputs as Elman tensors. */
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
}

/**
 * Loads `bytes` in onnxruntime-node, single-threaded so tests do not fight over the two cores, logging errors only
 * (the checker tests feed it broken models on purpose).
 */
export async function loadOrt(bytes: Uint8Array): Promise<OrtModel> {
  const session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new OrtTensor(t.dtype, t.data, [...t.shape]);
      const results = await session.run(ortFeeds);
      const out: Record<string, Tensor> = {};
      for (const [name, r] of Object.entries(results)) {
        const data = r.data;
        if (!(data instanceof Float32Array || data instanceof Int32Array)) throw new Error(`output ${name} is ${r.type}`);
        out[name] = new Tensor(data, r.dims.map(Number));
      }
      return out;
    },
  };
}

/** Largest |a − b| over two tensors of the same shape (Infinity when the shapes differ). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

/**
 * A decoded protobufjs message seen with every field present: decoding fills scalars and lists with their defaults,
 * so only sub-messages can really be absent, and tests assert on those anyway.
 */
export type Decoded<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer U)[]
    ? Decoded<U>[]
    : T extends object
      ? { -readonly [K in keyof T]-?: Decoded<NonNullable<T[K]>> }
      : T;

/** `message` typed as {@link Decoded}. */
export function present<T>(message: T): Decoded<T> {
  return message as Decoded<T>;
}

/** The decoded model, for structural assertions. */
export function decode(bytes: Uint8Array): Decoded<OnnxTypes.IModelProto> {
  return present(onnx.ModelProto.decode(bytes) as OnnxTypes.IModelProto);
}

/** Re-encodes a (possibly edited) decoded model. */
export function encode(model: Decoded<OnnxTypes.IModelProto>): Uint8Array {
  return onnx.ModelProto.encode(model as OnnxTypes.IModelProto).finish();
}

/** The op types of the model's nodes, in order. */
export function opTypes(bytes: Uint8Array): string[] {
  return decode(bytes).graph.node.map((n) => n.opType);
}

/** The declared dims of a graph input or output: numbers for fixed sizes, strings for dynamic axes. */
export function declaredDims(bytes: Uint8Array, kind: 'input' | 'output', name: string): (number | string)[] {
  const g = decode(bytes).graph;
  const v = g[kind].find((x) => x.name === name);
  if (!v) throw new Error(`no graph ${kind} '${name}'`);
  return v.type.tensorType.shape.dim.map((d) => (d.dimParam ? d.dimParam : int64(d.dimValue)));
}

/** What one run feeds: the example inputs (in graph input order) and the forward options (tensors become inputs). */
export interface Feeds {
  /** The forward's positional tensor inputs. */
  inputs: Tensor[];
  /** The forward options; tensor values are graph inputs named by their keys. */
  options?: Record<string, unknown>;
}

/** Flattens a forward result (a tensor, an array, an object of tensors, nested) in order, as exportOnnx does. */
export function flatTensors(r: unknown): Tensor[] {
  if (r instanceof Tensor) return [r];
  if (Array.isArray(r)) return r.flatMap(flatTensors);
  if (r !== null && typeof r === 'object') return Object.values(r).flatMap(flatTensors);
  return [];
}

/**
 * Exports `m` (in eval mode) with the feeds of `sizes[0]`, checks the model, then runs that one onnxruntime session
 * on the feeds of every size (so the dynamic axes really vary) and compares every output with Elman's forward within
 * `tol`. Returns the model bytes.
 */
export async function expectOrtParity<S extends readonly number[]>(
  m: Module,
  sizes: readonly S[],
  feeds: (...size: S) => Feeds,
  forward: (inputs: Tensor[], options?: Record<string, unknown>) => unknown,
  options: Omit<ExportOnnxOptions, 'forwardOptions'>,
  tol = 1e-5,
): Promise<Uint8Array> {
  m.eval();
  const example = feeds(...sizes[0]!);
  const bytes = exportOnnx(m, example.inputs, { ...options, forwardOptions: example.options });
  expect(checkOnnxModel(bytes)).toEqual([]);
  const ort = await loadOrt(bytes);
  for (const size of sizes) {
    const f = feeds(...size);
    const named: Record<string, Tensor> = {};
    f.inputs.forEach((t, i) => {
      named[ort.inputNames[i]!] = t;
    });
    for (const [k, v] of Object.entries(f.options ?? {})) if (v instanceof Tensor) named[k] = v;
    const got = await ort.run(named);
    const want = flatTensors(forward(f.inputs, f.options));
    expect(want.length, 'outputs').toBe(ort.outputNames.length);
    ort.outputNames.forEach((name, i) => {
      expect(got[name]!.shape, `${name} shape for sizes ${size.join(', ')}`).toEqual(want[i]!.shape);
      expect(maxAbsDiff(got[name]!, want[i]!), `${name} for sizes ${size.join(', ')}`).toBeLessThanOrEqual(tol);
    });
  }
  return bytes;
}
