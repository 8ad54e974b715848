import { Tensor, ValueError } from '@elman/core';
import type { Example } from '@elman/trainer';
import { LISTOPS_SYMBOLS, type ListOpsExample, type ListOpsExpr, type Tree, generateListOps } from '@elman/wrappers';

/**
 * Token ids of the flat (sequence) view of an expression: 0 is padding, then the ten digits, the four opening
 * operators `[MAX [MIN [MED [SM` and the closing bracket — the tokens of Nangia & Bowman's text.
 */
export const TOKENS: readonly string[] = ['<pad>', ...LISTOPS_SYMBOLS.slice(0, 10), ...LISTOPS_SYMBOLS.slice(10).map((s) => `[${s}`), ']'];

/** Number of token ids, padding included. */
export const VOCAB_SIZE = TOKENS.length;

/** Id of the closing bracket. */
export const CLOSE_ID = VOCAB_SIZE - 1;

/** Number of classes: the value of an expression is a digit. */
export const NUM_CLASSES = 10;

/** Nesting depth of an expression (a digit is 0, the root operator of a generated example is ≥ 1). */
export function depthOf(expr: ListOpsExpr): number {
  if (typeof expr === 'number') return 0;
  let deepest = 0;
  for (const a of expr.args) deepest = Math.max(deepest, depthOf(a));
  return 1 + deepest;
}

/** The token ids of an expression, e.g. `[MAX 2 9 ]` → `[11, 3, 10, 15]`. */
export function encodeExpr(expr: ListOpsExpr, out: number[] = []): number[] {
  if (typeof expr === 'number') {
    out.push(expr + 1);
    return out;
  }
  out.push(TOKENS.indexOf(`[${expr.op}`));
  for (const a of expr.args) encodeExpr(a, out);
  out.push(CLOSE_ID);
  return out;
}

// One constant one-hot vector per ListOps symbol: node inputs of the tree net (its input projection is the embedding).
const ONE_HOT: readonly Tensor[] = LISTOPS_SYMBOLS.map((_, i) => {
  const v = new Float32Array(LISTOPS_SYMBOLS.length);
  v[i] = 1;
  return new Tensor(v, [LISTOPS_SYMBOLS.length]);
});

/**
 * Rebuilds the gold tree from the first `length` token ids of a row (the brackets are the parse): an operator node per
 * `[OP … ]`, a leaf per digit, inputs one-hot over `LISTOPS_SYMBOLS`. Throws a ValueError on unbalanced brackets.
 */
export function treeFromIds(ids: ArrayLike<number>, start: number, length: number): Tree {
  const stack: { input: Tensor; children: Tree[] }[] = [];
  let root: Tree | null = null;
  for (let k = start; k < start + length; k++) {
    const id = ids[k]!;
    if (id === CLOSE_ID) {
      const node = stack.pop();
      if (!node) throw new ValueError(`listops: unbalanced ']' at token ${k - start}`);
      if (stack.length === 0) root = node;
      else stack[stack.length - 1]!.children.push(node);
    } else if (id >= 1 && id <= 10) {
      const top = stack[stack.length - 1];
      if (!top) throw new ValueError(`listops: digit outside an operator at token ${k - start}`);
      top.children.push({ input: ONE_HOT[id - 1]! });
    } else if (id > 10 && id < CLOSE_ID) {
      stack.push({ input: ONE_HOT[id - 1]!, children: [] });
    } else {
      throw new ValueError(`listops: token id ${id} at ${k - start} is not a ListOps token`);
    }
  }
  if (root === null || stack.length > 0) throw new ValueError(`listops: the ${length} tokens do not form one expression`);
  return root;
}

/** A split of the generated data, ready for `Trainer` (variable-length examples) and for per-depth scoring. */
export interface ListOpsSplit {
  /** The generated examples. */
  examples: ListOpsExample[];
  /** `{input: ids [t_i] int32, target: value [] int32}` per example. */
  data: Example[];
  /** Nesting depth of every example. */
  depths: Int32Array;
  /** Value (class) of every example. */
  labels: Int32Array;
}

/** Generates `count` examples (depth ≤ `maxDepth`, 2–5 arguments) with `seed`, and their token ids. */
export function makeSplit(count: number, maxDepth: number, seed: number): ListOpsSplit {
  const examples = generateListOps({ count, maxDepth, seed });
  const data = examples.map((e) => {
    const ids = encodeExpr(e.expr);
    return { input: new Tensor(Int32Array.from(ids), [ids.length]), target: new Tensor(Int32Array.of(e.value), []) };
  });
  return {
    examples,
    data,
    depths: Int32Array.from(examples, (e) => depthOf(e.expr)),
    labels: Int32Array.from(examples, (e) => e.value),
  };
}

/** The most frequent class of `labels` and its frequency there. */
export function majorityClass(labels: Int32Array): { label: number; frequency: number } {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const l of labels) counts[l]!++;
  const label = counts.indexOf(Math.max(...counts));
  return { label, frequency: counts[label]! / Math.max(1, labels.length) };
}
