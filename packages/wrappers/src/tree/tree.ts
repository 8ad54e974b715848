import { Tensor, ValueError, fmtShape } from '@elman/core';

/**
 * One node of an input tree: its feature vector and its children, left to right. A `null` child is a missing
 * position (meaningful for {@link NaryTreeLSTM}, where it contributes the zero state; elsewhere it is skipped).
 * A node must be reachable only once in a batch (no shared subtrees, no cycles).
 */
export interface Tree {
  /** The node's input features, `[X]` float32. */
  input: Tensor;
  /** Children in order; omitted or empty for a leaf. */
  children?: ReadonlyArray<Tree | null>;
}

/** The children of one tree level grouped by the level they come from, so each group is one `indexSelect`. */
export interface ChildGroup {
  /** Height of the level the children live on. */
  level: number;
  /** Rows of those children within their level's state matrix. */
  rows: Int32Array;
}

/** Everything one level needs: children to gather and where each one goes. */
export interface LevelPlan {
  /** Number of nodes on this level. */
  size: number;
  /** Children of this level's nodes, grouped by source level; concatenated in this order. */
  groups: ChildGroup[];
  /** For each gathered child (in group order), the row of its parent within this level. */
  parent: Int32Array;
  /** For each gathered child, its position among its parent's children. */
  slot: Int32Array;
}

/**
 * A validated batch of trees laid out for level-wise evaluation. Nodes are numbered in pre-order, tree after tree;
 * level k holds the nodes of height k (leaves are level 0), so every child lives on a lower level than its parent.
 */
export interface TreeSchedule {
  /** Total number of nodes. */
  numNodes: number;
  /** Node inputs in level order (level 0 first), ready to stack into one `[numNodes, X]` matrix. */
  inputs: Tensor[];
  /** `levelStart[k]` is the first level-order position of level k; `levelStart[numLevels]` = numNodes. */
  levelStart: Int32Array;
  /** Level-order position of each pre-order node. */
  position: Int32Array;
  /** Pre-order index of each tree's root. */
  roots: Int32Array;
  /** One plan per level. */
  levels: LevelPlan[];
}

/** Options of {@link scheduleTrees}. */
export interface ScheduleOptions {
  /** Name used in error messages. */
  op: string;
  /** Required size of every node's input. */
  inputSize: number;
  /** Maximum number of children per node (N-ary nets); unbounded when omitted. */
  maxChildren?: number;
}

/**
 * Validates a batch of trees and plans bottom-up evaluation without recursion (trees may be thousands deep):
 * an explicit-stack pre-order walk, heights by one reverse sweep, then a counting sort of nodes by height.
 * Throws `ValueError`/`ShapeError`-style messages naming the path of the bad node (e.g. `trees[1].children[0]`).
 */
export function scheduleTrees(trees: readonly Tree[], options: ScheduleOptions): TreeSchedule {
  const { op, inputSize } = options;
  if (!Array.isArray(trees) || trees.length === 0) throw new ValueError(`${op}: expected a non-empty array of trees`);
  const nodes: Tree[] = [];
  const parentOf: number[] = [];
  const slotOf: number[] = [];
  const seen = new Map<Tree, number>();
  const roots = new Int32Array(trees.length);
  // Stack entries: node, parent pre-order index (−1 for a root), slot (tree index for a root).
  const stack: Array<[unknown, number, number]> = [];
  const pathOf = (parent: number, slot: number): string => {
    const parts: string[] = [];
    let p = parent;
    let s = slot;
    while (p >= 0) {
      parts.push(`.children[${s}]`);
      s = slotOf[p]!;
      p = parentOf[p]!;
    }
    return `trees[${s}]${parts.reverse().join('')}`;
  };
  for (let t = 0; t < trees.length; t++) {
    stack.push([trees[t], -1, t]);
    while (stack.length > 0) {
      const [node, parent, slot] = stack.pop()!;
      const path = (): string => pathOf(parent, slot);
      if (node === null || typeof node !== 'object') throw new ValueError(`${op}: ${path()} is not a tree node`);
      const tree = node as Tree;
      const prev = seen.get(tree);
      if (prev !== undefined) {
        throw new ValueError(
          `${op}: ${path()} is the same node as ${pathOf(parentOf[prev]!, slotOf[prev]!)} (a cycle or shared subtree)`,
        );
      }
      const input = tree.input;
      if (!(input instanceof Tensor)) throw new ValueError(`${op}: ${path()} has no input tensor`);
      if (input.dtype !== 'float32' || input.rank !== 1 || input.shape[0] !== inputSize) {
        throw new ValueError(
          `${op}: ${path()}.input must be float32 [${inputSize}], got ${input.dtype} ${fmtShape(input.shape)}`,
        );
      }
      const children = tree.children;
      if (children !== undefined && !Array.isArray(children)) throw new ValueError(`${op}: ${path()}.children is not an array`);
      if (children && options.maxChildren !== undefined && children.length > options.maxChildren) {
        throw new ValueError(
          `${op}: ${path()} has ${children.length} children but the net takes at most ${options.maxChildren}`,
        );
      }
      const index = nodes.length;
      seen.set(tree, index);
      nodes.push(tree);
      parentOf.push(parent);
      slotOf.push(slot);
      if (parent < 0) roots[t] = index;
      if (children) {
        for (let k = children.length - 1; k >= 0; k--) if (children[k] !== null) stack.push([children[k], index, k]);
      }
    }
  }
  const n = nodes.length;
  // Children follow their parent in pre-order, so one reverse sweep finalises every height before it is used.
  const height = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const p = parentOf[i]!;
    if (p >= 0 && height[i]! + 1 > height[p]!) height[p] = height[i]! + 1;
  }
  let numLevels = 0;
  for (let i = 0; i < n; i++) numLevels = Math.max(numLevels, height[i]! + 1);
  const levelStart = new Int32Array(numLevels + 1);
  for (let i = 0; i < n; i++) levelStart[height[i]! + 1]!++;
  for (let k = 0; k < numLevels; k++) levelStart[k + 1]! += levelStart[k]!;
  const fill = levelStart.slice(0, numLevels);
  const position = new Int32Array(n);
  const inputs = new Array<Tensor>(n);
  for (let i = 0; i < n; i++) {
    const pos = fill[height[i]!]!++;
    position[i] = pos;
    inputs[pos] = nodes[i]!.input;
  }
  // Edges bucketed by parent level, then ordered by child level so each source level is one contiguous group.
  const edges: number[][] = Array.from({ length: numLevels }, () => []);
  for (let i = 0; i < n; i++) if (parentOf[i]! >= 0) edges[height[parentOf[i]!]!]!.push(i);
  const levels: LevelPlan[] = edges.map((list, k) => {
    list.sort((a, b) => height[a]! - height[b]! || position[a]! - position[b]!);
    const parent = new Int32Array(list.length);
    const slot = new Int32Array(list.length);
    const groups: ChildGroup[] = [];
    let start = 0;
    for (let e = 0; e <= list.length; e++) {
      if (e === list.length || (e > start && height[list[e]!] !== height[list[start]!])) {
        if (e > start) {
          const level = height[list[start]!]!;
          const rows = new Int32Array(e - start);
          for (let j = start; j < e; j++) rows[j - start] = position[list[j]!]! - levelStart[level]!;
          groups.push({ level, rows });
        }
        start = e;
      }
      if (e === list.length) break;
      const child = list[e]!;
      parent[e] = position[parentOf[child]!]! - levelStart[k]!;
      slot[e] = slotOf[child]!;
    }
    return { size: levelStart[k + 1]! - levelStart[k]!, groups, parent, slot };
  });
  return { numNodes: n, inputs, levelStart, position, roots, levels };
}
