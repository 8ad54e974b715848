import { OnnxExportError } from '../errors.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxDim, OnnxValue } from '../graph-builder.js';

/** Whether `v` is a graph value (what a tensor-valued forward option becomes in an exporter). */
export function isOnnxValue(v: unknown): v is OnnxValue {
  return typeof v === 'object' && v !== null && typeof (v as OnnxValue).name === 'string' && Array.isArray((v as OnnxValue).shape);
}

/**
 * The mask option `key` of `options` as a graph value, or null when absent. Masks reach the graph as inputs
 * (tensor-valued forward options); anything else (nested boolean arrays) is an error naming the option.
 */
export function maskOption(ctx: OnnxExportContext, what: string, options: Readonly<Record<string, unknown>>, key: string): OnnxValue | null {
  const v = options[key];
  if (v === undefined || v === null) return null;
  if (!isOnnxValue(v) || (v.dtype !== 'int32' && v.dtype !== 'float32')) {
    throw new OnnxExportError(
      `exportOnnx: ${what} at '${ctx.path}': ${key} must be an int32 (1 = masked out) or float32 (additive) tensor, which becomes a graph input; ` +
        `convert nested boolean masks with tensor(…, 'int32')`,
    );
  }
  return v;
}


/**
 * A mask as an additive score bias of the same shape, as Elman's `maskBias`: int32 (non-zero = masked out) becomes
 * `-Infinity` where masked and 0 elsewhere, so the softmax gives those keys exactly 0 weight; float32 masks are
 * already additive and pass unchanged.
 */
export function additiveBias(ctx: OnnxExportContext, mask: OnnxValue): OnnxValue {
  if (mask.dtype === 'float32') return mask;
  const masked = ctx.op('Cast', [mask], { dtype: 'bool', shape: mask.shape }, { to: { int: 9 } }); // BOOL
  return ctx.op('Where', [masked, ctx.floatScalar(Number.NEGATIVE_INFINITY), ctx.floatScalar(0)], {
    dtype: 'float32',
    shape: mask.shape,
  });
}

/** Size of axis `axis` of `x` as an int64 scalar computed at run time (`Gather(Shape(x), axis)`). */
export function dimOf(ctx: OnnxExportContext, x: OnnxValue, axis: number): OnnxValue {
  const shape = ctx.op('Shape', [x], { dtype: 'int64', shape: [x.shape.length] }); // [rank]
  return ctx.op('Gather', [shape, ctx.int64Scalar(axis)], { dtype: 'int64', shape: [] }, { axis: { int: 0 } });
}

/**
 * The causal score bias `[T, S]` built at run time from the lengths of `query [B, T, ·]` and `key [B, S, ·]`:
 * `-Infinity` where key j comes after query i (j > i, top-left aligned like PyTorch's `is_causal`), else 0.
 */
export function causalBias(ctx: OnnxExportContext, query: OnnxValue, key: OnnxValue): OnnxValue {
  const T: OnnxDim = query.shape[1]!;
  const S: OnnxDim = key.shape[1]!;
  const zero = ctx.int64Scalar(0);
  const one = ctx.int64Scalar(1);
  const rows = ctx.op('Range', [zero, dimOf(ctx, query, 1), one], { dtype: 'int64', shape: [T] }); // [T]
  const cols = ctx.op('Range', [zero, dimOf(ctx, key, 1), one], { dtype: 'int64', shape: [S] }); // [S]
  const column = ctx.op('Reshape', [rows, ctx.int64s([-1, 1])], { dtype: 'int64', shape: [T, 1] }); // [T, 1]
  const after = ctx.op('Greater', [cols, column], { dtype: 'bool', shape: [T, S] }); // [T, S]
  return ctx.op('Where', [after, ctx.floatScalar(Number.NEGATIVE_INFINITY), ctx.floatScalar(0)], {
    dtype: 'float32',
    shape: [T, S],
  }); // [T, S]
}
