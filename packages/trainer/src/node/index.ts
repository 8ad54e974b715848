/**
 * @elman/trainer/node: the Node-only parts of the trainer: data-parallel gradient workers (piscina threads over
 * shared memory), checkpoint files (atomic, keep-last-k, best-by-metric), and datasets streamed from files.
 * @packageDocumentation
 */
export { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
export type { ModelFactorySpec, ModelFactoryResult, ModelFactory } from './factory.js';
export {
  CheckpointManager,
  type CheckpointManagerOptions,
  type CheckpointFile,
  saveCheckpoint,
  loadCheckpoint,
} from './checkpoint-manager.js';
export { lineDataset, type LineDatasetOptions } from './line-dataset.js';
