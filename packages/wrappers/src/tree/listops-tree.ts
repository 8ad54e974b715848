import type { Tensor } from '@elman/core';
import type { ListOpsExpr } from './listops.js';
import type { Tree } from './tree.js';

/**
 * Turns a ListOps expression into its gold tree for the tree nets: an operator node's children are its arguments,
 * digits are leaves; `embed` gives each symbol's input vector (e.g. a one-hot row over `LISTOPS_SYMBOLS`).
 *
 * @example
 * ```ts run
 * import { Tensor } from '@elman/core';
 * import { LISTOPS_SYMBOLS, TreeRNN, listOpsTree, parseListOps } from '@elman/wrappers';
 *
 * const embed = (symbol: string): Tensor => {
 *   const v = new Float32Array(LISTOPS_SYMBOLS.length);
 *   v[LISTOPS_SYMBOLS.indexOf(symbol)] = 1; // one-hot over 10 digits and 4 operators
 *   return new Tensor(v, [LISTOPS_SYMBOLS.length]);
 * };
 * const tree = listOpsTree(parseListOps('[MAX 2 [MIN 4 7 ] 0 ]'), embed); // operator nodes over their arguments
 * const { h } = new TreeRNN({ inputSize: LISTOPS_SYMBOLS.length, hiddenSize: 8 }).forward([tree]); // [1, 8]
 * console.log(h.shape);
 * ```
 */
export function listOpsTree(expr: ListOpsExpr, embed: (symbol: string) => Tensor): Tree {
  if (typeof expr === 'number') return { input: embed(String(expr)) };
  return { input: embed(expr.op), children: expr.args.map((a) => listOpsTree(a, embed)) };
}
