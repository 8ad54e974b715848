import { StateDictError, ValueError, fmtShape } from '../errors.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Parameter } from './parameter.js';
import { type BindOptions, bindGradientSlab, bindParameterSlab } from './slab.js';

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /**
   * Require the keys to match exactly (default true). When false, missing and unexpected keys are reported in the
   * result instead of thrown; wrong shapes are always an error.
   */
  strict?: boolean;
}

/** What {@link Module.loadStateDict} did not load (always empty after a strict load). */
export interface LoadStateDictResult {
  /** Keys the module expects that the dictionary lacks (left unchanged). */
  missingKeys: string[];
  /** Keys of the dictionary the module does not have (ignored). */
  unexpectedKeys: string[];
}

/** Options of {@link Module.registerBuffer}. */
export interface BufferOptions {
  /** Whether the buffer is part of {@link Module.stateDict} (default true). */
  persistent?: boolean;
}

interface OwnMembers {
  params: [string, Parameter][];
  buffers: [string, Tensor][];
  children: [string, Module][];
}

/**
 * Base class of every layer and model (PyTorch's `nn.Module`). Members are discovered from own properties, in the
 * order they were assigned: a {@link Parameter} is a parameter, a `Module` a submodule, an array of modules
 * (or of parameters) contributes `name.0`, `name.1`, … like `nn.ModuleList`; plain tensors become state only through
 * {@link Module.registerBuffer}. Names are dotted paths (`encoder.layers.0.weight`) and equal PyTorch's
 * `state_dict()` keys for modules with a PyTorch equivalent.
 *
 * Subclasses define `forward` with their own signature, e.g. `forward(x: Tensor): Tensor`.
 *
 * @example
 * ```ts run
 * import { Linear, Module, type Tensor } from '@elman/core';
 *
 * class Mlp extends Module {
 *   hidden = new Linear(4, 8);
 *   out = new Linear(8, 2);
 *
 *   forward(x: Tensor): Tensor {
 *     return this.out.forward(this.hidden.forward(x).relu()); // [B, 4] → [B, 2]
 *   }
 * }
 * const model = new Mlp();
 * console.log(Object.keys(model.stateDict())); // ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
 * console.log(model.numParameters()); // 58
 * model.eval(); // inference mode for Dropout and friends; model.train() switches back
 * ```
 */
export abstract class Module {
  /** True in training mode (dropout active), false after {@link Module.eval}. */
  training = true;
  /** Buffer names → persistent flag; the tensors themselves live in own properties of the same names. */
  readonly #buffers = new Map<string, boolean>();

  /** The computation of the module; each subclass declares its own parameters and result. */
  abstract forward(...args: never[]): unknown;

  /**
   * Registers a non-trainable tensor (running statistics, positional-encoding tables, masks) as the property
   * `name`, so it appears in {@link Module.namedBuffers} and, when persistent, in {@link Module.stateDict}.
   * Returns the tensor. Re-assigning the property later replaces the buffer.
   */
  registerBuffer<T extends Tensor>(name: string, tensor: T, options: BufferOptions = {}): T {
    this.#checkNewName('registerBuffer', name);
    this.#buffers.set(name, options.persistent ?? true);
    this.#props()[name] = tensor;
    return tensor;
  }

  /** Sets the property `name` to a parameter (for names computed at run time, e.g. `weight_ih_l1_reverse`). */
  registerParameter(name: string, param: Parameter): Parameter {
    this.#checkNewName('registerParameter', name);
    this.#props()[name] = param;
    return param;
  }

  /** Sets the property `name` to a submodule (for names computed at run time). */
  registerModule<M extends Module>(name: string, module: M): M {
    this.#checkNewName('registerModule', name);
    this.#props()[name] = module;
    return module;
  }

  /** Direct submodules with their property names (each module once). */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, m] of this.#own().children) {
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
    }
    return out;
  }

  /** Direct submodules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (name `''`) and all its descendants, pre-order, each module once. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const stack: [string, Module][] = [['', this]];
    while (stack.length > 0) {
      const [name, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = m.#own().children;
      for (let i = kids.length - 1; i >= 0; i--) {
        const [k, child] = kids[i]!;
        stack.push([join(name, k), child]);
      }
    }
    return out;
  }

  /** This module and all its descendants. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Every parameter with its dotted name, each parameter once (a parameter shared by two modules is listed under
   * its first name, as in PyTorch). The names are the {@link Module.stateDict} keys.
   */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.#own().params) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([join(prefix, name), p]);
      }
    }
    return out;
  }

  /** Every parameter, each once, in {@link Module.namedParameters} order (what an optimizer takes). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer (persistent or not) with its dotted name, each once. */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of m.#own().buffers) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.push([join(prefix, name), b]);
      }
    }
    return out;
  }

  /** Every buffer, each once. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * Parameters and persistent buffers by dotted name (PyTorch's `state_dict()`: Linear gives `weight [out, in]` and
   * `bias [out]`). The tensors are detached views that share storage with the module, not copies: later training
   * steps show through them; `clone()` them for a snapshot. A tied parameter appears under each of its names.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [key, t] of this.#stateEntries()) out[key] = t.detach();
    return out;
  }

  /**
   * Copies values from `dict` (e.g. {@link Module.stateDict} of a twin model, or `loadSafetensors(bytes).tensors`)
   * into the existing parameters and buffers, so optimizers holding them stay valid. Nothing is copied unless the
   * whole load is valid: missing, unexpected (when `strict`) and wrong-shape or wrong-dtype keys are reported
   * together in one `StateDictError`.
   */
  loadStateDict(dict: Readonly<Record<string, Tensor>>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const expected = this.#stateEntries();
    const expectedKeys = new Set(expected.map(([k]) => k));
    const missingKeys: string[] = [];
    const mismatched: string[] = [];
    const pairs: [Tensor, Tensor][] = [];
    for (const [key, target] of expected) {
      const src = Object.hasOwn(dict, key) ? dict[key] : undefined;
      if (src === undefined) {
        missingKeys.push(key);
      } else if (!(src instanceof Tensor)) {
        mismatched.push(`${key}: expected a Tensor, got ${typeof src}`);
      } else if (src.dtype !== target.dtype || !sameShape(src.shape, target.shape)) {
        mismatched.push(`${key}: expected ${target.dtype} ${fmtShape(target.shape)}, got ${src.dtype} ${fmtShape(src.shape)}`);
      } else {
        pairs.push([src, target]);
      }
    }
    const unexpectedKeys = Object.keys(dict).filter((k) => !expectedKeys.has(k));
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys (${missingKeys.length}): ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length > 0) {
      problems.push(`unexpected keys (${unexpectedKeys.length}): ${unexpectedKeys.join(', ')}`);
    }
    if (mismatched.length > 0) problems.push(`wrong shape or dtype (${mismatched.length}): ${mismatched.join('; ')}`);
    if (problems.length > 0) {
      throw new StateDictError(`loadStateDict: ${this.constructor.name} state dict does not match:\n  ${problems.join('\n  ')}`);
    }
    for (const [src, target] of pairs) target.data.set(src.data);
    return { missingKeys, unexpectedKeys };
  }

  /** Sets training mode on this module and all descendants (dropout active when true); returns this. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode, `train(false)`: dropout becomes the identity. Returns this. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears the gradients of all parameters. By default they are zeroed in place, which keeps gradients bound by
   * {@link Module.bindGradients} in their slab; `setToNone` drops them instead (the next backward allocates).
   */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      if (setToNone) p.grad = null;
      else p.grad?.data.fill(0);
    }
  }

  /** Total number of parameter elements (each shared parameter counted once). */
  numParameters(): number {
    let n = 0;
    for (const p of this.parameters()) n += p.size;
    return n;
  }

  /** Calls `fn` on every descendant and then on this module (children first, as PyTorch's `apply`); returns this. */
  apply(fn: (module: Module) => void): this {
    const seen = new Set<Module>();
    const visit = (m: Module): void => {
      seen.add(m);
      for (const child of m.children()) if (!seen.has(child)) visit(child);
      fn(m);
    };
    visit(this);
    return this;
  }

  /**
   * Re-points every parameter's `data` at consecutive regions of one Float32Array, in {@link Module.parameters}
   * order, and returns it. Without `slab` one of exactly {@link Module.numParameters} elements is allocated; a given
   * slab (e.g. a view of a `SharedArrayBuffer` for worker threads) must have that length. Current values are copied
   * in unless `copy` is false, in which case the parameters adopt the slab's values. Bind once the model is complete.
   */
  bindParameters(slab?: Float32Array, options: BindOptions = {}): Float32Array {
    return bindParameterSlab('bindParameters', this.parameters(), slab, options);
  }

  /**
   * Gives every parameter a `.grad` that is a view of one Float32Array, with the same layout as
   * {@link Module.bindParameters}, and returns it. Backward accumulates into an existing `.grad` in place, so
   * gradients land directly in the slab. Existing gradients are copied in (zeros where there are none) unless
   * `copy` is false. {@link Module.zeroGrad} keeps the binding; `zeroGrad(true)` releases it.
   */
  bindGradients(slab?: Float32Array, options: BindOptions = {}): Float32Array {
    return bindGradientSlab('bindGradients', this.parameters(), slab, options);
  }

  /** Own properties as a record (members are ordinary properties). */
  #props(): Record<string, unknown> {
    return this as unknown as Record<string, unknown>;
  }

  #checkNewName(op: string, name: string): void {
    if (name === '' || name.includes('.')) throw new ValueError(`${op}: name must be non-empty and contain no '.', got '${name}'`);
    if (Object.hasOwn(this, name) && this.#props()[name] !== undefined) {
      throw new ValueError(`${op}: ${this.constructor.name} already has a member '${name}'`);
    }
  }

  /** Own parameters, buffers and children, in property order. */
  #own(): OwnMembers {
    const own: OwnMembers = { params: [], buffers: [], children: [] };
    const props = this.#props();
    for (const key of Object.keys(props)) {
      const v = props[key];
      if (this.#buffers.has(key)) {
        if (v instanceof Tensor) own.buffers.push([key, v]);
      } else if (v instanceof Parameter) {
        own.params.push([key, v]);
      } else if (v instanceof Module) {
        own.children.push([key, v]);
      } else if (Array.isArray(v)) {
        v.forEach((e: unknown, i) => {
          if (e instanceof Parameter) own.params.push([`${key}.${i}`, e]);
          else if (e instanceof Module) own.children.push([`${key}.${i}`, e]);
        });
      }
    }
    return own;
  }

  /**
   * The state-dict entries in PyTorch order (own parameters, own persistent buffers, then each child), with the
   * live tensors. A module reached twice appears under both names; a cycle is not followed.
   */
  #stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const onPath = new Set<Module>();
    const visit = (m: Module, prefix: string): void => {
      onPath.add(m);
      const own = m.#own();
      for (const [name, p] of own.params) out.push([join(prefix, name), p]);
      for (const [name, b] of own.buffers) if (m.#buffers.get(name)) out.push([join(prefix, name), b]);
      for (const [name, child] of own.children) if (!onPath.has(child)) visit(child, join(prefix, name));
      onPath.delete(m);
    };
    visit(this, '');
    return out;
  }
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
