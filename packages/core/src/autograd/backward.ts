import { DTypeError, GradientError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { getBackend } from '../backends/registry.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { noGrad } from './grad-mode.js';
import type { Node } from './node.js';

/** Whether the backward pass now running keeps its graph (`retainGraph`); see {@link backwardRetainsGraph}. */
let retaining = false;

/**
 * True while a backward pass that keeps its graph (`backward(grad, {retainGraph: true})`) runs. An op's backward
 * function may consult it: when false, no later pass reads what the op saved, so the op may overwrite or release it
 * (the fused sequence kernels then compute their gradients in place of the saved activations).
 */
export function backwardRetainsGraph(): boolean {
  return retaining;
}

/**
 * Reverse-mode sweep. Collects the nodes reachable from `root` with an explicit stack (no recursion), visits them
 * in decreasing tape id (= reverse forward order), and accumulates input gradients; leaves get `.grad`.
 */
export function backward(root: Tensor, grad: Tensor | undefined, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new GradientError(`backward: tensor ${fmtShape(root.shape)} does not require grad and has no grad_fn`);
  }
  let seed: Tensor;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new ValueError(
        `backward: grad can be implied only for a one-element output, got shape ${fmtShape(root.shape)}; pass grad`,
      );
    }
    const v = root.data[0]!;
    if (!Number.isFinite(v)) throw new ValueError(`backward: loss is not finite (${v}), shape ${fmtShape(root.shape)}`);
    seed = new Tensor(new Float32Array([1]), root.shape);
  } else {
    if (!sameShape(grad.shape, root.shape)) {
      throw new ShapeError(`backward: grad is ${fmtShape(grad.shape)} but the output is ${fmtShape(root.shape)}`);
    }
    if (grad.dtype !== 'float32') throw new DTypeError(`backward: grad must be float32, got ${grad.dtype} ${fmtShape(grad.shape)}`);
    seed = grad;
  }

  const rootNode = root._node;
  if (!rootNode) {
    accumulateLeaf(root, seed);
    return;
  }
  if (!rootNode.backward) {
    throw new GradientError(
      `backward: the graph through '${rootNode.op}' was already freed; pass {retainGraph: true} to backward twice`,
    );
  }

  const nodes = collect(rootNode);
  rootNode.outGrads[root._outputIndex] = seed;

  const outer = retaining;
  retaining = retainGraph;
  try {
    noGrad(() => sweep(nodes, retainGraph));
  } finally {
    retaining = outer;
  }
}

/** Visits `nodes` (decreasing tape id) and propagates the output gradients into their inputs. */
function sweep(nodes: Node[], retainGraph: boolean): void {
  for (const node of nodes) {
    const fn = node.backward;
    const outGrads = node.outGrads;
    node.outGrads = new Array<Tensor | null>(node.numOutputs).fill(null);
    if (!fn) {
      throw new GradientError(`backward: the graph through '${node.op}' was already freed; use {retainGraph: true}`);
    }
    if (!retainGraph) node.backward = null;
    if (outGrads.every((g) => g === null)) continue;
    if (node.retained) {
      node.retained.forEach((t, i) => {
        const g = outGrads[i];
        if (t && g) accumulateLeaf(t, g);
      });
    }
    const inGrads = fn(outGrads);
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const g = inGrads[i];
      if (!g || !input.requiresGrad) continue;
      if (!sameShape(g.shape, input.shape)) {
        throw new GradientError(
          `backward: '${node.op}' produced a gradient of shape ${fmtShape(g.shape)} for input ${i} of shape ${fmtShape(input.shape)}`,
        );
      }
      const producer = input._node;
      if (producer) {
        const k = input._outputIndex;
        const prev = producer.outGrads[k];
        producer.outGrads[k] = prev ? addInto(prev, g, false) : g;
      } else {
        accumulateLeaf(input, g);
      }
    }
  }
}

/** Reachable nodes, sorted by decreasing id. */
function collect(root: Node): Node[] {
  const seen = new Set<Node>([root]);
  const stack: Node[] = [root];
  const out: Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (const input of node.inputs) {
      const p = input._node;
      if (p && input.requiresGrad && !seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  out.sort((a, b) => b.id - a.id);
  return out;
}

/** Adds `g` into `.grad` of a leaf (or retained tensor); the first gradient is copied so it owns its buffer. */
function accumulateLeaf(t: Tensor, g: Tensor): void {
  if (t.grad) {
    addInto(t.grad, g, true);
  } else {
    t.grad = new Tensor(new Float32Array(g.data as Float32Array), t.shape);
  }
}

/** `acc + g`, in place when `inPlace` (acc owned by us), otherwise as a new tensor. */
function addInto(acc: Tensor, g: Tensor, inPlace: boolean): Tensor {
  const out = inPlace ? acc : new Tensor(new Float32Array(acc.size), acc.shape);
  getBackend().binary('add', acc.data, acc.shape, g.data, g.shape, out.data, out.shape);
  return out;
}
