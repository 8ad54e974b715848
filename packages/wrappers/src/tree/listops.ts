import { Generator, ValueError } from '@elman/core';

/** The four ListOps operators: maximum, minimum, median (rounded down) and sum modulo 10. */
export type ListOpsOperator = 'MAX' | 'MIN' | 'MED' | 'SM';

/** A ListOps expression: a digit, or an operator applied to a list of sub-expressions. */
export type ListOpsExpr = number | ListOpsNode;

/** An operator node of a ListOps expression. */
export interface ListOpsNode {
  /** The operator. */
  op: ListOpsOperator;
  /** Its arguments, left to right. */
  args: ListOpsExpr[];
}

/** One generated example. */
export interface ListOpsExample {
  /** The expression tree (the gold parse). */
  expr: ListOpsNode;
  /** The bracketed text, e.g. `[MAX 2 9 [MIN 4 7 ] 0 ]`. */
  text: string;
  /** The value of the expression, the class label 0…9. */
  value: number;
}

/** Options of {@link generateListOps}. */
export interface ListOpsOptions {
  /** Number of examples. */
  count: number;
  /** Maximum nesting depth (the root is depth 1). Default 6. */
  maxDepth?: number;
  /** Maximum arguments per operator (at least 2 are always drawn). Default 5. */
  maxArgs?: number;
  /** Probability that a non-root position below `maxDepth` opens a sub-expression instead of a digit. Default 0.25. */
  branchProbability?: number;
  /** Random stream; default `new Generator(seed ?? 0)`. */
  generator?: Generator;
  /** Seed used when no generator is given. Default 0. */
  seed?: number;
}

/** Operators in the order used by {@link LISTOPS_SYMBOLS}. */
export const LISTOPS_OPERATORS: readonly ListOpsOperator[] = ['MAX', 'MIN', 'MED', 'SM'];

/** The ListOps vocabulary: the ten digits then the four operators (handy for one-hot node inputs). */
export const LISTOPS_SYMBOLS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ...LISTOPS_OPERATORS];

/**
 * Generates ListOps examples (Nangia & Bowman 2018, "ListOps: A Diagnostic Dataset for Latent Tree Learning"),
 * following their generator: the root is an operator; below it, each argument is a digit unless, with probability
 * `branchProbability` and while the depth limit allows, a nested operator with 2…`maxArgs` arguments.
 * Deterministic for a given seed.
 *
 * @example
 * ```ts run
 * import { generateListOps } from '@elman/wrappers';
 *
 * const examples = generateListOps({ count: 3, maxDepth: 4, maxArgs: 5, seed: 7 }); // the same for the same seed
 * for (const { text, value } of examples) console.log(`${text} = ${value}`); // first: [MAX 9 9 5 ] = 9
 * ```
 */
export function generateListOps(options: ListOpsOptions): ListOpsExample[] {
  const maxDepth = options.maxDepth ?? 6;
  const maxArgs = options.maxArgs ?? 5;
  const p = options.branchProbability ?? 0.25;
  if (!(Number.isInteger(options.count) && options.count >= 0)) {
    throw new ValueError(`generateListOps: count must be a non-negative integer, got ${options.count}`);
  }
  if (!(Number.isInteger(maxDepth) && maxDepth >= 1)) throw new ValueError(`generateListOps: maxDepth must be ≥ 1, got ${maxDepth}`);
  if (!(Number.isInteger(maxArgs) && maxArgs >= 2)) throw new ValueError(`generateListOps: maxArgs must be ≥ 2, got ${maxArgs}`);
  if (!(p >= 0 && p <= 1)) throw new ValueError(`generateListOps: branchProbability must be in [0, 1], got ${p}`);
  const gen = options.generator ?? new Generator(options.seed ?? 0);
  const node = (depth: number): ListOpsNode => {
    const op = LISTOPS_OPERATORS[gen.randint(LISTOPS_OPERATORS.length)]!;
    const count = 2 + gen.randint(maxArgs - 1);
    const args: ListOpsExpr[] = [];
    for (let k = 0; k < count; k++) {
      args.push(depth < maxDepth && gen.uniform() < p ? node(depth + 1) : gen.randint(10));
    }
    return { op, args };
  };
  const out: ListOpsExample[] = [];
  for (let e = 0; e < options.count; e++) {
    const expr = node(1);
    out.push({ expr, text: formatListOps(expr), value: evaluateListOps(expr) });
  }
  return out;
}

/** Evaluates an expression: MAX, MIN, MED (median, rounded down as `int(np.median)`), SM (sum mod 10). */
export function evaluateListOps(expr: ListOpsExpr): number {
  if (typeof expr === 'number') return expr;
  if (expr.args.length === 0) throw new ValueError(`evaluateListOps: ${expr.op} has no arguments`);
  const v = expr.args.map(evaluateListOps);
  switch (expr.op) {
    case 'MAX':
      return Math.max(...v);
    case 'MIN':
      return Math.min(...v);
    case 'MED': {
      v.sort((a, b) => a - b);
      const m = v.length >> 1;
      return v.length % 2 === 1 ? v[m]! : Math.floor((v[m - 1]! + v[m]!) / 2);
    }
    case 'SM':
      return v.reduce((a, b) => a + b, 0) % 10;
    default:
      throw new ValueError(`evaluateListOps: unknown operator '${String((expr as ListOpsNode).op)}'`);
  }
}

/** Formats an expression in the dataset's bracketed form, e.g. `[SM 1 [MAX 2 3 ] ]`. */
export function formatListOps(expr: ListOpsExpr): string {
  if (typeof expr === 'number') return String(expr);
  return `[${expr.op} ${expr.args.map(formatListOps).join(' ')} ]`;
}

/** Parses the bracketed form back into an expression; throws a `ValueError` naming the bad token. */
export function parseListOps(text: string): ListOpsExpr {
  const tokens = text.replace(/\[/g, ' [ ').replace(/\]/g, ' ] ').split(/\s+/).filter((t) => t.length > 0);
  const stack: ListOpsNode[] = [];
  let result: ListOpsExpr | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    let done: ListOpsExpr | null = null;
    if (tok === '[') {
      const op = tokens[++i] as ListOpsOperator | undefined;
      if (op === undefined || !LISTOPS_OPERATORS.includes(op)) throw new ValueError(`parseListOps: expected an operator after '[', got '${op ?? 'end'}'`);
      stack.push({ op, args: [] });
    } else if (tok === ']') {
      done = stack.pop() ?? null;
      if (done === null) throw new ValueError(`parseListOps: unmatched ']' at token ${i}`);
    } else if (/^[0-9]$/.test(tok)) {
      done = Number(tok);
    } else {
      throw new ValueError(`parseListOps: unexpected token '${tok}' at ${i}`);
    }
    if (done !== null) {
      const top = stack[stack.length - 1];
      if (top) top.args.push(done);
      else if (result === null) result = done;
      else throw new ValueError(`parseListOps: more than one expression in '${text}'`);
    }
  }
  if (stack.length > 0 || result === null) throw new ValueError(`parseListOps: incomplete expression '${text}'`);
  return result;
}
