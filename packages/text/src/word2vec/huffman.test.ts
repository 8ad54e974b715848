import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { buildHuffmanTree, type HuffmanTree } from './huffman.js';

function path(tree: HuffmanTree, w: number): { codes: number[]; points: number[] } {
  const lo = tree.offsets[w]!;
  const hi = tree.offsets[w + 1]!;
  return { codes: Array.from(tree.codes.subarray(lo, hi)), points: Array.from(tree.points.subarray(lo, hi)) };
}

/** Total weighted code length of an optimal prefix code: the sum of all merge weights (independent min-heap-free O(V²) merge). */
function optimalCost(counts: number[]): number {
  const nodes = [...counts];
  let cost = 0;
  while (nodes.length > 1) {
    nodes.sort((a, b) => a - b);
    const merged = nodes.shift()! + nodes.shift()!;
    cost += merged;
    nodes.push(merged);
  }
  return cost;
}

describe('buildHuffmanTree', () => {
  it('gives the textbook optimal code for 45 16 13 12 9 5', () => {
    // Hand-traced through word2vec.c's CreateBinaryTree: the second node of each merge gets bit 1; inner node k
    // is the k-th merge, root = V − 2 = 4.
    const tree = buildHuffmanTree([45, 16, 13, 12, 9, 5]);
    expect([0, 1, 2, 3, 4, 5].map((w) => path(tree, w))).toEqual([
      { codes: [0], points: [4] },
      { codes: [1, 1, 1], points: [4, 3, 2] },
      { codes: [1, 0, 1], points: [4, 3, 1] },
      { codes: [1, 0, 0], points: [4, 3, 1] },
      { codes: [1, 1, 0, 1], points: [4, 3, 2, 0] },
      { codes: [1, 1, 0, 0], points: [4, 3, 2, 0] },
    ]);
    // Expected length 2.24 bits per symbol: the optimum.
    expect(45 * 1 + 16 * 3 + 13 * 3 + 12 * 3 + 9 * 4 + 5 * 4).toBe(optimalCost([45, 16, 13, 12, 9, 5]));
  });

  it('is prefix-free, complete (Kraft sum 1) and optimal on skewed counts with ties', () => {
    const counts = Array.from({ length: 300 }, (_, i) => Math.floor(10000 / (i + 1) ** 1.2) + 1).sort((a, b) => b - a);
    const tree = buildHuffmanTree(counts);
    const codes = counts.map((_, w) => path(tree, w).codes.join(''));
    const sorted = [...codes].sort();
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.startsWith(sorted[i - 1]!)).toBe(false);
    expect(codes.reduce((s, c) => s + 2 ** -c.length, 0)).toBeCloseTo(1, 12);
    expect(codes.reduce((s, c, w) => s + c.length * counts[w]!, 0)).toBe(optimalCost(counts));
    // Every path starts at the root and visits valid inner nodes (rows of syn1).
    for (let w = 0; w < counts.length; w++) {
      const { points } = path(tree, w);
      expect(points[0]).toBe(counts.length - 2);
      for (const p of points) expect(p >= 0 && p <= counts.length - 2).toBe(true);
    }
  });

  it('handles one and two words', () => {
    expect(buildHuffmanTree([7]).offsets).toEqual(Int32Array.of(0, 0));
    const two = buildHuffmanTree([5, 3]);
    expect([path(two, 0), path(two, 1)]).toEqual([
      { codes: [1], points: [0] },
      { codes: [0], points: [0] },
    ]);
  });

  it('requires counts sorted in decreasing order', () => {
    expect(() => buildHuffmanTree([1, 2])).toThrow(ValueError);
    expect(() => buildHuffmanTree([3, 1, 2])).toThrow(/sorted in decreasing order \(index 2\)/);
  });
});
