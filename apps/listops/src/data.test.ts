import { ValueError } from '@elman/core';
import { type Tree, evaluateListOps, parseListOps } from '@elman/wrappers';
import { describe, expect, it } from 'vitest';
import { CLOSE_ID, TOKENS, VOCAB_SIZE, depthOf, encodeExpr, majorityClass, makeSplit, treeFromIds } from './data.js';

describe('listops data', () => {
  it('encodes an expression as its tokens and measures its depth', () => {
    const e = parseListOps('[MAX 2 9 [MIN 4 7 ] 0 ]');
    const ids = encodeExpr(e);
    expect(ids.map((i) => TOKENS[i])).toEqual(['[MAX', '2', '9', '[MIN', '4', '7', ']', '0', ']']);
    expect(depthOf(e)).toBe(2);
    expect(depthOf(5)).toBe(0);
    expect(VOCAB_SIZE).toBe(16);
    expect(TOKENS[CLOSE_ID]).toBe(']');
  });

  it('rebuilds the gold tree from padded ids: one node per operator and digit, children in order', () => {
    const ids = [0, 0, ...encodeExpr(parseListOps('[SM 1 [MED 2 3 4 ] ]')), 0, 0]; // a row inside a padded batch
    const tree = treeFromIds(ids, 2, 8);
    const symbol = (t: Tree | null | undefined): number => (t ? Array.from(t.input.data).indexOf(1) : -1);
    expect(symbol(tree)).toBe(13); // SM is the 14th ListOps symbol
    expect(tree.children?.map(symbol)).toEqual([1, 12]);
    expect(tree.children?.[1]?.children?.map(symbol)).toEqual([2, 3, 4]);
  });

  it('rejects token rows that are not one expression with a ValueError', () => {
    expect(() => treeFromIds([CLOSE_ID], 0, 1)).toThrow(ValueError);
    expect(() => treeFromIds([11, 2, 3], 0, 3)).toThrow(/do not form one expression/);
    expect(() => treeFromIds([3], 0, 1)).toThrow(/digit outside an operator/);
    expect(() => treeFromIds([11, 0, CLOSE_ID], 0, 3)).toThrow(/token id 0 at 1/);
  });

  it('makes deterministic splits whose labels, depths and ids agree with the generator', () => {
    const a = makeSplit(200, 4, 3);
    expect(makeSplit(200, 4, 3).labels).toEqual(a.labels);
    for (let i = 0; i < 200; i++) {
      const e = a.examples[i]!;
      expect(a.labels[i]).toBe(evaluateListOps(e.expr));
      expect(a.depths[i]).toBe(depthOf(e.expr));
      expect(Array.from(a.data[i]!.input.data)).toEqual(encodeExpr(e.expr));
      expect(a.data[i]!.target.item()).toBe(e.value);
    }
  });

  it('finds the majority class and its frequency', () => {
    expect(majorityClass(Int32Array.of(3, 1, 3, 3, 0))).toEqual({ label: 3, frequency: 0.6 });
  });
});
