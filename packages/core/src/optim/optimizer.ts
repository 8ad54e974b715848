import { DTypeError, ShapeError, StateDictError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/** A hyperparameter value of a parameter group: JSON-safe so that optimizer state can go into a checkpoint. */
export type HyperValue = number | boolean | readonly number[];

/** Hyperparameters every optimizer has: a (mutable) learning rate. */
export interface Hyperparameters {
  /** Learning rate; LR schedulers write it before each step. */
  lr: number;
}

/** A parameter group: the tensors it updates plus its own copy of every hyperparameter (PyTorch's `param_groups`). */
export type ParamGroup<H extends Hyperparameters = Hyperparameters> = H & {
  /** The parameters updated with these hyperparameters. */
  params: Tensor[];
};

/** A parameter group as passed to a constructor: hyperparameters left out take the optimizer's defaults. */
export type ParamGroupInput<H extends Hyperparameters = Hyperparameters> = Partial<H> & {
  /** The parameters updated with these hyperparameters. */
  params: Iterable<Tensor>;
};

/** What an optimizer is built from: plain parameters, or parameter groups with per-group hyperparameters. */
export type ParamsInput<H extends Hyperparameters = Hyperparameters> =
  | Iterable<Tensor>
  | Iterable<ParamGroupInput<H>>;

/** Per-parameter optimizer state: step count and buffers named as in PyTorch (`exp_avg`, `momentum_buffer`, …). */
export interface ParamState {
  /** Number of updates this parameter has received. */
  step: number;
  /** Buffers of the parameter's size, allocated once. */
  buffers: Record<string, Float32Array>;
}

/** A parameter group in {@link OptimizerMeta}: its hyperparameters, and parameter indices instead of tensors. */
export type ParamGroupMeta = Record<string, HyperValue> & {
  /** Global indices (0, 1, … across groups in order) of the group's parameters. */
  params: number[];
};

/** The JSON half of {@link OptimizerStateDict}. */
export interface OptimizerMeta {
  /** Optimizer class name (`'Adam'`, …); loading into another optimizer is an error. */
  optimizer: string;
  /** Hyperparameters of every group, with the global indices of its parameters instead of the tensors. */
  paramGroups: ParamGroupMeta[];
  /** Step count per parameter index (parameters that have state only). */
  steps: Record<string, number>;
}

/**
 * Serialised optimizer state, split so that a checkpoint can store it as tensors (safetensors) plus JSON.
 * Parameters are numbered 0, 1, … across groups in order, as in PyTorch.
 */
export interface OptimizerStateDict {
  /** Per-parameter buffers keyed `<index>.<buffer>`, e.g. `0.exp_avg`, `3.momentum_buffer`. */
  state: Record<string, Tensor>;
  /** Everything else, JSON-serialisable. */
  meta: OptimizerMeta;
}

/** Options of {@link Optimizer.zeroGrad}. */
export interface ZeroGradOptions {
  /**
   * Drop the gradients (`grad = null`) instead of filling them with zeros. Default false: filling in place keeps
   * gradient buffers (e.g. shared-memory slabs) bound to their parameters.
   */
  setToNone?: boolean;
}

/**
 * Base class of the optimizers. Holds parameter groups (hyperparameters are per group and mutable), per-parameter
 * state allocated on first use, and the step loop; subclasses supply the update rule for one parameter.
 * Updates run in place on `param.data` (plain loops, or a backend kernel: Adam's) with no buffer allocated after the
 * first step.
 */
export abstract class Optimizer<H extends Hyperparameters = Hyperparameters> {
  /** Parameter groups, each with its own hyperparameters (write `paramGroups[i].lr` to change the learning rate). */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Hyperparameters a group gets for every option it does not set. */
  readonly defaults: Readonly<H>;
  /** Per-parameter state, created on a parameter's first update. */
  protected readonly state = new Map<Tensor, ParamState>();
  /** Buffer names this optimizer may keep per parameter (what {@link Optimizer.loadStateDict} accepts). */
  protected abstract readonly bufferNames: readonly string[];

  /**
   * @param params Parameters or parameter groups.
   * @param defaults Complete hyperparameters, already merged with the subclass's defaults.
   */
  constructor(params: ParamsInput<H>, defaults: H) {
    this.validate(defaults, '');
    this.defaults = Object.freeze({ ...defaults });
    this.addParams(params);
  }

  /** Splits the constructor's `params` into one group (plain tensors) or the given groups. */
  private addParams(params: ParamsInput<H>): void {
    const items = [...(params as Iterable<Tensor | ParamGroupInput<H>>)];
    if (items.length === 0) throw new ValueError(`${this.name}: got an empty parameter list`);
    if (items.every((x) => x instanceof Tensor)) {
      this.addParamGroup({ params: items } as unknown as ParamGroupInput<H>);
    } else if (items.some((x) => x instanceof Tensor)) {
      throw new ValueError(`${this.name}: params must be all tensors or all parameter groups, not a mix`);
    } else {
      for (const g of items as ParamGroupInput<H>[]) this.addParamGroup(g);
    }
  }

  /** Class name used in error messages and state dicts (a getter, so the base constructor can use it). */
  abstract get name(): string;

  /**
   * Checks a group's hyperparameters and throws a `ValueError` naming the optimizer and the option.
   * `where` is `''` for the defaults or ` (param group k)`.
   */
  protected abstract validate(h: H, where: string): void;

  /** Updates one parameter in place from its gradient. `state.step` is already incremented. */
  protected abstract update(param: Float32Array, grad: Float32Array, group: ParamGroup<H>, state: ParamState): void;

  /** Adds a parameter group (e.g. layers unfrozen during fine-tuning); missing hyperparameters take the defaults. */
  addParamGroup(group: ParamGroupInput<H>): void {
    const where = ` (param group ${this.paramGroups.length})`;
    const params = [...group.params];
    if (params.length === 0) throw new ValueError(`${this.name}: param group ${this.paramGroups.length} is empty`);
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ValueError(`${this.name}: params${where} must be Tensors`);
      if (p.dtype !== 'float32') {
        throw new DTypeError(`${this.name}: parameters must be float32, got ${p.dtype} ${fmtShape(p.shape)}${where}`);
      }
      if (seen.has(p)) {
        throw new ValueError(`${this.name}: a parameter ${fmtShape(p.shape)} appears more than once${where}`);
      }
      seen.add(p);
    }
    const merged = { ...this.defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(group)) {
      if (k === 'params' || v === undefined) continue;
      if (!(k in this.defaults)) throw new ValueError(`${this.name}: unknown option '${k}'${where}`);
      merged[k] = v;
    }
    const full = merged as unknown as H;
    this.validate(full, where);
    this.paramGroups.push({ ...full, params });
  }

  /** Applies one update to every parameter that has a gradient; parameters whose `.grad` is null are skipped. */
  step(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (!grad) continue;
        if (grad.size !== p.size) {
          throw new ShapeError(
            `${this.name}.step: grad is ${fmtShape(grad.shape)} but its parameter is ${fmtShape(p.shape)}`,
          );
        }
        let st = this.state.get(p);
        if (!st) {
          st = { step: 0, buffers: {} };
          this.state.set(p, st);
        }
        st.step++;
        this.update(p.f32, grad.f32, group, st);
      }
    }
  }

  /** Clears the gradients of every parameter: zero-filled in place, or dropped with `{setToNone: true}`. */
  zeroGrad(options: ZeroGradOptions = {}): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (options.setToNone) p.grad = null;
        else p.grad.data.fill(0);
      }
    }
  }

  /**
   * A snapshot of the optimizer: buffers copied into tensors and hyperparameters plus step counts as JSON.
   * Loading it into a fresh optimizer over the same parameters continues the run exactly.
   */
  stateDict(): OptimizerStateDict {
    const state: Record<string, Tensor> = {};
    const steps: Record<string, number> = {};
    const paramGroups: OptimizerMeta['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const ids: number[] = [];
      for (const p of group.params) {
        const st = this.state.get(p);
        if (st) {
          steps[index] = st.step;
          for (const [name, buf] of Object.entries(st.buffers)) state[`${index}.${name}`] = new Tensor(buf.slice(), p.shape);
        }
        ids.push(index++);
      }
      const hyper: Record<string, HyperValue> = {};
      for (const [k, v] of Object.entries(group)) {
        if (k !== 'params') hyper[k] = Array.isArray(v) ? [...(v as number[])] : (v as HyperValue);
      }
      paramGroups.push({ ...hyper, params: ids });
    }
    return { state, meta: { optimizer: this.name, paramGroups, steps } };
  }

  /**
   * Restores a {@link Optimizer.stateDict} snapshot: hyperparameters of every group, step counts and buffers (copied).
   * The optimizer must have the same groups with the same parameter counts and shapes; every mismatch is listed in
   * one `StateDictError`, and nothing is changed when there is one.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const { state, meta } = dict;
    if (meta.optimizer !== this.name) {
      throw new StateDictError(`${this.name}.loadStateDict: the state dict belongs to ${meta.optimizer}`);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    const problems: string[] = [];
    if (meta.paramGroups.length !== this.paramGroups.length) {
      problems.push(`${meta.paramGroups.length} param groups, expected ${this.paramGroups.length}`);
    } else {
      meta.paramGroups.forEach((g, k) => {
        const n = this.paramGroups[k]!.params.length;
        if (g.params.length !== n) problems.push(`param group ${k} has ${g.params.length} parameters, expected ${n}`);
      });
    }
    const loaded = new Map<number, ParamState>();
    const entry = (i: number): ParamState => {
      let st = loaded.get(i);
      if (!st) {
        st = { step: 0, buffers: {} };
        loaded.set(i, st);
      }
      return st;
    };
    for (const [key, t] of Object.entries(state)) {
      const dot = key.indexOf('.');
      const i = Number(key.slice(0, dot));
      const name = key.slice(dot + 1);
      const p = params[i];
      if (dot < 0 || !Number.isInteger(i) || !p) problems.push(`unexpected key '${key}'`);
      else if (!this.bufferNames.includes(name)) problems.push(`unknown buffer '${key}'`);
      else if (t.dtype !== 'float32' || t.size !== p.size) {
        problems.push(`'${key}' is ${t.dtype} ${fmtShape(t.shape)}, parameter is float32 ${fmtShape(p.shape)}`);
      } else entry(i).buffers[name] = new Float32Array(t.f32);
    }
    for (const [key, step] of Object.entries(meta.steps)) {
      const i = Number(key);
      if (!Number.isInteger(i) || !params[i]) problems.push(`step count for unknown parameter '${key}'`);
      else if (!Number.isInteger(step) || step < 0) problems.push(`step count of parameter ${key} is ${step}`);
      else entry(i).step = step;
    }
    const hypers: H[] = [];
    if (problems.length === 0) {
      meta.paramGroups.forEach((g, k) => {
        const h = { ...this.defaults } as Record<string, unknown>;
        for (const [name, v] of Object.entries(g)) {
          if (name === 'params') continue;
          if (!(name in this.defaults)) problems.push(`unknown option '${name}' in param group ${k}`);
          else h[name] = Array.isArray(v) ? [...v] : v;
        }
        hypers.push(h as unknown as H);
      });
    }
    if (problems.length > 0) {
      throw new StateDictError(`${this.name}.loadStateDict: ${problems.join('; ')}`);
    }
    hypers.forEach((h, k) => {
      this.validate(h, ` (param group ${k})`);
    });
    hypers.forEach((h, k) => {
      Object.assign(this.paramGroups[k]!, h);
    });
    this.state.clear();
    for (const [i, st] of loaded) this.state.set(params[i]!, st);
  }
}

/** Throws unless `v` is a finite number ≥ `min`. */
export function checkAtLeast(opt: string, option: string, v: number, min: number, where: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ValueError(`${opt}: ${option} must be a finite number >= ${min}, got ${v}${where}`);
  }
}

/** Throws unless `v` is a finite number in [0, 1). */
export function checkUnitInterval(opt: string, option: string, v: number, where: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) {
    throw new ValueError(`${opt}: ${option} must be in [0, 1), got ${v}${where}`);
  }
}

/** Throws unless `v` is a boolean. */
export function checkBoolean(opt: string, option: string, v: unknown, where: string): void {
  if (typeof v !== 'boolean') throw new ValueError(`${opt}: ${option} must be a boolean, got ${String(v)}${where}`);
}

/** The named buffer of a parameter's state, created zero-filled (or by `init`) on first use. */
export function buffer(state: ParamState, name: string, size: number, init = 0): Float32Array {
  let b = state.buffers[name];
  if (!b) {
    b = new Float32Array(size);
    if (init !== 0) b.fill(init);
    state.buffers[name] = b;
  }
  return b;
}
