import { ValueError } from '@elman/core';

/**
 * The Huffman tree of hierarchical softmax, flattened: word `w`'s path from the root has `offsets[w + 1] −
 * offsets[w]` steps; step `d` visits inner node `points[offsets[w] + d]` (a row of `syn1`, root = V − 2) and takes
 * branch `codes[offsets[w] + d]` (0 or 1).
 */
export interface HuffmanTree {
  /** Branch bit at each step of every word's root-to-leaf path. */
  codes: Uint8Array;
  /** Inner node visited at each step. */
  points: Int32Array;
  /** Start of each word's path in `codes` / `points`, length V + 1. */
  offsets: Int32Array;
}

/**
 * Builds the Huffman tree over word counts exactly as word2vec.c's `CreateBinaryTree` does (Mikolov et al. 2013,
 * "Distributed representations of words and phrases"): counts must be sorted in decreasing order; the two-queue
 * construction merges the two smallest nodes, the second one gets bit 1, and inner node `k` (created k-th) is
 * row `k` of `syn1`. Frequent words get short codes, so the expected path length is minimal.
 */
export function buildHuffmanTree(counts: ArrayLike<number>): HuffmanTree {
  const V = counts.length;
  for (let i = 1; i < V; i++) {
    if (counts[i]! > counts[i - 1]!) throw new ValueError(`buildHuffmanTree: counts must be sorted in decreasing order (index ${i})`);
  }
  const offsets = new Int32Array(V + 1);
  // One word: no inner node and nothing to predict (word2vec.c would index syn1 at −1 here).
  if (V < 2) return { codes: new Uint8Array(0), points: new Int32Array(0), offsets };
  const count = new Float64Array(2 * V).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < V; i++) count[i] = counts[i]!;
  const binary = new Uint8Array(2 * V);
  const parent = new Int32Array(2 * V);
  // Leaves are consumed from the rarest end (pos1 moves down), merged nodes in creation order (pos2 moves up):
  // both queues stay sorted, so each step finds the two smallest nodes in O(1).
  let pos1 = V - 1;
  let pos2 = V;
  for (let a = 0; a < V - 1; a++) {
    let min1: number;
    let min2: number;
    if (pos1 >= 0 && count[pos1]! < count[pos2]!) min1 = pos1--;
    else min1 = pos2++;
    if (pos1 >= 0 && count[pos1]! < count[pos2]!) min2 = pos1--;
    else min2 = pos2++;
    count[V + a] = count[min1]! + count[min2]!;
    parent[min1] = V + a;
    parent[min2] = V + a;
    binary[min2] = 1;
  }
  const root = 2 * V - 2;
  let total = 0;
  for (let w = 0; w < V; w++) {
    let len = 0;
    for (let b = w; b !== root; b = parent[b]!) len++;
    offsets[w] = total;
    total += len;
  }
  offsets[V] = total;
  const codes = new Uint8Array(total);
  const points = new Int32Array(total);
  for (let w = 0; w < V; w++) {
    // Walk leaf → root and fill the path backwards, so it reads root → leaf.
    let d = offsets[w + 1]! - 1;
    for (let b = w; b !== root; b = parent[b]!) {
      codes[d] = binary[b]!;
      points[d] = parent[b]! - V;
      d--;
    }
  }
  return { codes, points, offsets };
}
