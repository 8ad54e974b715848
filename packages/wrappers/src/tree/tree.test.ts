import { Tensor, ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { type Tree, scheduleTrees } from './tree.js';

const x = (v: number): Tensor => new Tensor(Float32Array.of(v), [1]);

describe('scheduleTrees', () => {
  it('numbers nodes in pre-order, groups them by height and plans each level’s children', () => {
    // trees[0]: 0 → (1 → (2, 3), 4); trees[1]: 5 (a single leaf)
    const trees: Tree[] = [
      { input: x(0), children: [{ input: x(1), children: [{ input: x(2) }, { input: x(3) }] }, { input: x(4) }] },
      { input: x(5) },
    ];
    const s = scheduleTrees(trees, { op: 'test', inputSize: 1 });
    expect(s.numNodes).toBe(6);
    expect(Array.from(s.roots)).toEqual([0, 5]);
    expect(Array.from(s.levelStart)).toEqual([0, 4, 5, 6]); // leaves 2, 3, 4, 5; then 1; then 0
    expect(s.inputs.map((t) => t.item())).toEqual([2, 3, 4, 5, 1, 0]);
    expect(Array.from(s.position)).toEqual([5, 4, 0, 1, 2, 3]);
    expect(s.levels[0]).toMatchObject({ size: 4, groups: [] });
    expect(s.levels[1]!.groups.map((g) => [g.level, Array.from(g.rows)])).toEqual([[0, [0, 1]]]);
    expect(Array.from(s.levels[1]!.parent)).toEqual([0, 0]);
    // The root's children come from two levels: leaf 4 (level 0, row 2) then node 1 (level 1, row 0).
    expect(s.levels[2]!.groups.map((g) => [g.level, Array.from(g.rows)])).toEqual([
      [0, [2]],
      [1, [0]],
    ]);
    expect(Array.from(s.levels[2]!.slot)).toEqual([1, 0]);
  });

  it('keeps the slot of each child past missing (null) positions', () => {
    const s = scheduleTrees([{ input: x(0), children: [null, { input: x(1) }, null, { input: x(2) }] }], {
      op: 'test',
      inputSize: 1,
    });
    expect(Array.from(s.levels[1]!.slot)).toEqual([1, 3]);
  });

  it('names the path of a node that is not a tree', () => {
    expect(() => scheduleTrees([{ input: x(0), children: [{ input: x(1), children: [7 as unknown as Tree] }] }], {
      op: 'net',
      inputSize: 1,
    })).toThrow(new ValueError('net: trees[0].children[0].children[0] is not a tree node'));
  });
});
