/**
 * Entry of every {@link WorkerPool} thread (run by piscina from the compiled `dist/node/worker.js`): holds one
 * replica of the model whose parameters view the shared parameter slab, and answers gradient tasks by writing the
 * mean gradient of its shard into that shard's gradient slab.
 * @internal
 */
import { workerData } from 'node:worker_threads';
import { Tensor, manualSeed, setBackend } from '@elman/core';
import { forwardBackward, type StepContext } from '../gradient-step.js';
import { defaultForward } from '../model.js';
import { packState, unpackState } from '../recurrent-state.js';
import { buildReplica } from './factory.js';
import { type GradTask, type TensorRef, type WorkerConfig, type WorkerReply, type WorkerTask, serializeError } from './protocol.js';

const config = workerData as WorkerConfig;

interface Replica {
  ctx: StepContext;
  /** Gradient slab views, one per shard. */
  grads: Float32Array[];
  /** The shard whose slab the replica's gradients are bound to (-1: none yet). */
  bound: number;
}

let replica: Promise<Replica> | null = null;

async function build(): Promise<Replica> {
  await setBackend(config.backend);
  const { model, loss, forward } = await buildReplica(config.factory, config.layout);
  // copy: false: adopt the main thread's values; from now on the optimizer's writes show through.
  model.bindParameters(new Float32Array(config.params), { copy: false });
  model.train();
  return { ctx: { model, loss, forward: forward ?? defaultForward }, grads: config.grads.map((b) => new Float32Array(b)), bound: -1 };
}

/** Rows `[r0, r1)` of a batch tensor in the shared buffer, as a tensor viewing it (no copy). */
function rowsOf(io: SharedArrayBuffer, ref: TensorRef, r0: number, r1: number): Tensor {
  const row = ref.shape.slice(1).reduce((a, b) => a * b, 1);
  const offset = ref.byteOffset + r0 * row * 4;
  const data = ref.dtype === 'int32' ? new Int32Array(io, offset, (r1 - r0) * row) : new Float32Array(io, offset, (r1 - r0) * row);
  return new Tensor(data, [r1 - r0, ...ref.shape.slice(1)]);
}

function gradient(r: Replica, task: GradTask): WorkerReply {
  if (r.bound !== task.shard) {
    r.ctx.model.bindGradients(r.grads[task.shard], { copy: false });
    r.bound = task.shard;
  }
  r.grads[task.shard]!.fill(0);
  const [r0, r1] = task.rows;
  const batch = {
    input: rowsOf(task.io, task.input, r0, r1), // [b, ...]
    target: rowsOf(task.io, task.target, r0, r1), // [b, ...]
    ...(task.lengths ? { lengths: task.lengths } : {}),
  };
  // Each shard draws from its own stream, so dropout masks do not depend on which thread ran it.
  manualSeed(task.seed);
  const state = task.state === undefined ? undefined : unpackState(task.state);
  const result = forwardBackward({ ...r.ctx, maskPadding: task.maskPadding }, batch, task.update, state);
  return {
    ok: true,
    loss: result.loss,
    weight: result.weight,
    ...(result.carry !== undefined ? { state: packState(result.carry) } : {}),
  };
}

/** The piscina task handler: never throws, so that a failing task leaves the worker (and the pool) usable. */
export default async function handle(task: WorkerTask): Promise<WorkerReply> {
  try {
    replica ??= build();
    const r = await replica;
    return task.kind === 'init' ? { ok: true, loss: 0, weight: 0 } : gradient(r, task);
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}
