import type { Tensor } from '@elman/core';
import type { ListOpsExpr } from './listops.js';
import type { Tree } from './tree.js';

/**
 * Turns a ListOps expression into its gold tree for the tree nets: an operator node's children are its arguments,
 * digits are leaves; `embed` gives each symbol's input vector (e.g. a one-hot row over `LISTOPS_SYMBOLS`).
 */
export function listOpsTree(expr: ListOpsExpr, embed: (symbol: string) => Tensor): Tree {
  if (typeof expr === 'number') return { input: embed(String(expr)) };
  return { input: embed(expr.op), children: expr.args.map((a) => listOpsTree(a, embed)) };
}
