import { ShapeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { Parameter } from './parameter.js';

/** Options of `Module.bindParameters` / `Module.bindGradients`. */
export interface BindOptions {
  /**
   * Copy the current values into the slab (default true). False makes the tensors adopt the slab's values, e.g. in a
   * worker thread whose slab already holds the main thread's parameters.
   */
  copy?: boolean;
}

function prepare(op: string, params: readonly Parameter[], slab: Float32Array | undefined): Float32Array {
  let total = 0;
  for (const p of params) total += p.size;
  if (slab === undefined) return new Float32Array(total);
  if (slab.length !== total) {
    throw new ShapeError(`${op}: slab has ${slab.length} elements but the ${params.length} parameters hold ${total}`);
  }
  return slab;
}

/**
 * Re-points each parameter's data at consecutive regions of `slab` (allocated when absent) and returns the slab.
 * @internal
 */
export function bindParameterSlab(op: string, params: readonly Parameter[], slab: Float32Array | undefined, options: BindOptions): Float32Array {
  const out = prepare(op, params, slab);
  const copy = options.copy ?? true;
  let offset = 0;
  for (const p of params) {
    const view = out.subarray(offset, offset + p.size);
    if (copy) view.set(p.data);
    p.data = view;
    offset += p.size;
  }
  return out;
}

/**
 * Gives each parameter a `.grad` viewing consecutive regions of `slab` (same layout as the parameter slab) and
 * returns the slab.
 * @internal
 */
export function bindGradientSlab(op: string, params: readonly Parameter[], slab: Float32Array | undefined, options: BindOptions): Float32Array {
  const out = prepare(op, params, slab);
  const copy = options.copy ?? true;
  let offset = 0;
  for (const p of params) {
    const view = out.subarray(offset, offset + p.size);
    if (copy) {
      if (p.grad) view.set(p.grad.data);
      else view.fill(0);
    }
    p.grad = new Tensor(view, p.shape);
    offset += p.size;
  }
  return out;
}
