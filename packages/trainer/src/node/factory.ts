import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Module, ShapeError, ValueError, fmtShape } from '@elman/core';
import type { ForwardFn, LossFn } from '../model.js';
import type { FactoryRef } from './protocol.js';

/**
 * Where each worker thread gets its replica of the model: an ES module (path or file URL, resolved against the
 * current directory when relative), the name of a function it exports, and the options passed to that function
 * (anything `structuredClone` accepts). The function returns a {@link ModelFactoryResult}; it must build the same
 * architecture as the trainer's model (parameter names and shapes are checked) — its initial values do not matter,
 * since replicas read the main thread's parameters.
 *
 * ```js
 * // model.mjs
 * export function createModel({ hidden }) {
 *   return { model: new Sequential(new Linear(14, hidden), new Tanh(), new Linear(hidden, 1)), loss: mseLoss };
 * }
 * ```
 */
export interface ModelFactorySpec {
  /** The module: an absolute path, a path relative to `process.cwd()`, or a `file:` URL. */
  module: string | URL;
  /** The export to call. Default `'default'`. */
  export?: string;
  /** Argument of the factory function. */
  options?: unknown;
}

/** What a model factory returns. */
export interface ModelFactoryResult {
  /** A fresh model with the trainer model's architecture. */
  model: Module;
  /** The training loss (the same as the trainer's). */
  loss: LossFn;
  /** How to call the model, when not the default `model.forward(input[, options])`. */
  forward?: ForwardFn;
}

/** The function a factory module exports. */
export type ModelFactory<O = unknown> = (options: O) => ModelFactoryResult | Promise<ModelFactoryResult>;

/** Resolves a factory spec on the main thread, checking that the module file exists. */
export function resolveFactory(spec: ModelFactorySpec): FactoryRef {
  if (typeof spec !== 'object' || spec === null || spec.module === undefined) {
    throw new ValueError('WorkerPool: factory must be {module, export?, options?}');
  }
  const exportName = spec.export ?? 'default';
  if (typeof exportName !== 'string' || exportName === '') {
    throw new ValueError(`WorkerPool: factory.export must be a non-empty string, got ${String(spec.export)}`);
  }
  const raw = spec.module instanceof URL ? spec.module.href : spec.module;
  const url = raw.startsWith('file:') ? raw : pathToFileURL(resolve(raw)).href;
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new ValueError(`WorkerPool: the factory module ${path} does not exist`);
  try {
    structuredClone(spec.options);
  } catch (err) {
    throw new ValueError(`WorkerPool: factory.options must be structured-cloneable: ${String(err)}`);
  }
  return { url, exportName, options: spec.options };
}

/**
 * Imports the factory module and builds a replica (in a worker thread), checking that the export is a function,
 * that it returns `{model, loss}`, and that the model's parameters match `layout` by name and shape.
 */
export async function buildReplica(ref: FactoryRef, layout: readonly [string, number[]][]): Promise<ModelFactoryResult> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(ref.url)) as Record<string, unknown>;
  } catch (err) {
    throw new ValueError(`WorkerPool: cannot import the factory module ${ref.url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fn = mod[ref.exportName];
  if (typeof fn !== 'function') {
    const names = Object.keys(mod);
    throw new ValueError(
      `WorkerPool: the factory module ${ref.url} has no function export '${ref.exportName}' ` +
        `(it exports: ${names.length > 0 ? names.join(', ') : 'nothing'})`,
    );
  }
  const built = (await (fn as ModelFactory)(ref.options)) as Partial<ModelFactoryResult> | undefined;
  if (typeof built?.model?.namedParameters !== 'function' || typeof built.loss !== 'function') {
    throw new ValueError(`WorkerPool: factory '${ref.exportName}' of ${ref.url} must return {model, loss, forward?}`);
  }
  if (built.forward !== undefined && typeof built.forward !== 'function') {
    throw new ValueError(`WorkerPool: factory '${ref.exportName}' returned a forward that is not a function`);
  }
  const got = built.model.namedParameters().map(([name, p]): [string, number[]] => [name, [...p.shape]]);
  const fmt = ([name, shape]: [string, number[]]) => `${name} ${fmtShape(shape)}`;
  const want = layout.map(fmt).join(', ');
  const have = got.map(fmt).join(', ');
  if (want !== have) {
    throw new ShapeError(
      `WorkerPool: factory '${ref.exportName}' builds a model whose parameters differ from the trainer's model:\n` +
        `  trainer: ${want}\n  factory: ${have}`,
    );
  }
  return built as ModelFactoryResult;
}
