import { ValueError, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { type ListOpsExpr, LISTOPS_SYMBOLS, evaluateListOps, formatListOps, generateListOps, parseListOps } from './listops.js';
import { listOpsTree } from './listops-tree.js';

function depth(e: ListOpsExpr): number {
  return typeof e === 'number' ? 0 : 1 + Math.max(...e.args.map(depth));
}

describe('ListOps', () => {
  it('evaluates the four operators as Nangia & Bowman define them', () => {
    expect(evaluateListOps(parseListOps('[MAX 2 9 [MIN 4 7 ] 0 ]'))).toBe(9);
    expect(evaluateListOps(parseListOps('[MIN 3 [MAX 1 8 ] 5 ]'))).toBe(3);
    expect(evaluateListOps(parseListOps('[MED 4 1 9 ]'))).toBe(4);
    expect(evaluateListOps(parseListOps('[MED 1 2 7 8 ]'))).toBe(4); // median 4.5 rounded down like int(np.median)
    expect(evaluateListOps(parseListOps('[SM 9 8 [SM 5 5 ] ]'))).toBe(7); // (9 + 8 + 0) mod 10
    expect(evaluateListOps(parseListOps('[MAX [MED [SM 3 4 ] 1 2 ] 0 ]'))).toBe(2);
  });

  it('generates deterministic, depth- and arity-bounded examples whose labels match the evaluator', () => {
    const a = generateListOps({ count: 300, maxDepth: 4, seed: 3 });
    const b = generateListOps({ count: 300, maxDepth: 4, seed: 3 });
    expect(a.map((e) => e.text)).toEqual(b.map((e) => e.text));
    expect(generateListOps({ count: 5, seed: 4 }).map((e) => e.text)).not.toEqual(a.slice(0, 5).map((e) => e.text));
    const seenOps = new Set<string>();
    for (const e of a) {
      expect(depth(e.expr)).toBeGreaterThanOrEqual(1);
      expect(depth(e.expr)).toBeLessThanOrEqual(4);
      expect(e.value).toBe(evaluateListOps(parseListOps(e.text)));
      expect(formatListOps(parseListOps(e.text))).toBe(e.text);
      const stack: ListOpsExpr[] = [e.expr];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (typeof n === 'number') continue;
        seenOps.add(n.op);
        expect(n.args.length).toBeGreaterThanOrEqual(2);
        expect(n.args.length).toBeLessThanOrEqual(5);
        stack.push(...n.args);
      }
    }
    expect([...seenOps].sort()).toEqual(['MAX', 'MED', 'MIN', 'SM']);
    expect(a.some((e) => depth(e.expr) >= 3)).toBe(true);
    expect(new Set(a.map((e) => e.value)).size).toBe(10);
  });

  it('builds the gold tree with one node per symbol', () => {
    const t = listOpsTree(parseListOps('[SM 1 [MAX 2 3 ] ]'), (s) => tensor([LISTOPS_SYMBOLS.indexOf(s)]));
    expect(t.input.item()).toBe(13);
    expect(t.children?.length).toBe(2);
    expect(t.children?.[1]?.children?.map((c) => c?.input.item())).toEqual([2, 3]);
  });

  it('rejects malformed text and options', () => {
    expect(() => parseListOps('[MAX 1 2')).toThrow(/incomplete expression/);
    expect(() => parseListOps('[FOO 1 2 ]')).toThrow(/expected an operator after '\[', got 'FOO'/);
    expect(() => parseListOps('[MAX 1 12 ]')).toThrow(/unexpected token '12'/);
    expect(() => parseListOps('1 2')).toThrow(/more than one expression/);
    expect(() => generateListOps({ count: 1, maxArgs: 1 })).toThrow(ValueError);
    expect(() => evaluateListOps({ op: 'MAX', args: [] })).toThrow(/MAX has no arguments/);
  });
});
