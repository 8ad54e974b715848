import { Tensor, concat, indexSelect } from '@elman/core';
import type { LevelPlan, TreeSchedule } from './tree.js';

/** Per-node and per-root states of a batch of trees. */
export interface TreeStates {
  /** State of every node in pre-order, tree after tree: `[numNodes, H]`. */
  nodes: Tensor;
  /** State of each tree's root: `[N, H]`. */
  roots: Tensor;
}

/**
 * Gathers the states of one level's children from the already computed lower levels: one `indexSelect` per
 * source level, concatenated in the plan's order (`[M, H]`); null when the level is all leaves.
 */
export function gatherChildren(levelStates: readonly Tensor[], plan: LevelPlan): Tensor | null {
  if (plan.groups.length === 0) return null;
  const parts = plan.groups.map((g) => indexSelect(levelStates[g.level]!, 0, new Tensor(g.rows, [g.rows.length])));
  return parts.length === 1 ? parts[0]! : concat(parts, 0); // [M, H]
}

/** Reorders level-wise states into pre-order per-node states and picks out the roots. */
export function collectStates(levelStates: readonly Tensor[], schedule: TreeSchedule): TreeStates {
  const all = levelStates.length === 1 ? levelStates[0]! : concat(levelStates, 0); // [numNodes, H], level order
  const nodes = indexSelect(all, 0, new Tensor(schedule.position, [schedule.numNodes])); // [numNodes, H]
  const rootPos = schedule.roots.map((r) => schedule.position[r]!);
  const roots = indexSelect(all, 0, new Tensor(rootPos, [rootPos.length])); // [N, H]
  return { nodes, roots };
}
