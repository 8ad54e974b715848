import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDocExamples, namesWithExamples, packageOf, sourceFiles } from './doc-examples.js';
import type { CodeBlock } from './extract.js';
import { describeFailure, type RunResult, runBlocks } from './run-block.js';
import { type TypecheckResult, typecheckBlocks } from './typecheck.js';

// The ```ts blocks inside the `@example` tags of the packages' TSDoc (packages/*/src/**/*.ts), type-checked against
// the built packages like the guides' blocks, and run when fenced `ts run`: one node process per package runs that
// package's examples in order (a process per example would cost more than the examples).

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BLOCK_DIR = fileURLToPath(new URL('../', import.meta.url));
/** All run-examples of one package share this limit: they are short. */
const BATCH_TIMEOUT_MS = 60_000;

const examples = collectDocExamples(ROOT);
const checked = examples.filter((b) => b.mode !== 'skip');
const runnable = examples.filter((b) => b.mode === 'run');

/** The main classes and functions of each package: each must keep at least one example (issue 8). */
const MAIN: Record<string, readonly string[]> = {
  core: [
    'Tensor', 'tensor', 'Module', 'Linear', 'Embedding', 'LayerNorm', 'Dropout', 'Sequential', 'Adam', 'AdamW', 'SGD',
    'RMSprop', 'Adagrad', 'StepLR', 'CosineAnnealingLR', 'LambdaLR', 'LinearWarmup', 'clipGradNorm', 'crossEntropy',
    'mseLoss', 'bceWithLogits', 'saveSafetensors', 'loadSafetensors', 'saveModel', 'writeFileAtomic', 'Generator',
    'manualSeed', 'setBackend', 'ready', 'noGrad', 'orthogonal_', 'gradcheck', 'assertGradcheck', 'testBackends',
  ],
  cells: ['RNNCell', 'LSTMCell', 'GRUCell', 'RNN', 'LSTM', 'GRU', 'addingProblem'],
  wrappers: [
    'Bidirectional', 'Stacked', 'lstm', 'gru', 'rnn', 'toKeras', 'toOnnx', 'TreeRNN', 'ChildSumTreeLSTM', 'NaryTreeLSTM',
    'generateListOps',
  ],
  seq2seq: [
    'BahdanauAttention', 'LuongAttention', 'ScaledDotProductAttention', 'CosineAttention', 'paddingMask', 'Encoder',
    'AttentionDecoder', 'Seq2Seq', 'inverseSigmoidDecay', 'corpusBleu', 'exactMatch',
  ],
  transformer: [
    'MultiheadAttention', 'scaledDotProductAttention', 'generateSquareSubsequentMask', 'SinusoidalPositionalEncoding',
    'LearnedPositionalEncoding', 'TransformerEncoderLayer', 'TransformerDecoderLayer', 'TransformerEncoder',
    'TransformerDecoder', 'Transformer', 'CausalLM',
  ],
  text: [
    'WordTokenizer', 'CharTokenizer', 'Vocabulary', 'oneHot', 'bagOfWords', 'Word2Vec', 'mostSimilar', 'analogy',
    'formatWord2VecText', 'readSentences', 'saveWord2VecFile',
  ],
  trainer: [
    'Trainer', 'TbpttOptions', 'planTbptt', 'EarlyStopping', 'accuracy', 'WorkerPool', 'CheckpointManager',
    'MinMaxScaler', 'StandardScaler', 'slidingWindows', 'chronologicalSplit', 'padSequences', 'bucketByLength',
    'lineDataset',
  ],
  onnx: ['exportOnnx', 'importOnnxWeights', 'checkOnnxModel', 'registerOnnxExporter'],
};

const batches = new Map<string, Promise<Map<CodeBlock, RunResult>>>();
/** The run of `block`'s package batch, started by the first of its examples that asks. */
function runOf(block: CodeBlock): Promise<RunResult | undefined> {
  const pkg = packageOf(block.file);
  let batch = batches.get(pkg);
  if (!batch) {
    batch = runBlocks(
      runnable.filter((b) => packageOf(b.file) === pkg),
      { blockDir: BLOCK_DIR, timeoutMs: BATCH_TIMEOUT_MS },
    );
    batches.set(pkg, batch);
  }
  return batch.then((runs) => runs.get(block));
}

describe('@example blocks in the TSDoc of packages/*/src', () => {
  let result: TypecheckResult;
  beforeAll(() => {
    result = typecheckBlocks(checked, { root: ROOT, blockDir: BLOCK_DIR });
  });

  it('finds examples in every package, most of them run', () => {
    const packages = new Set(examples.map((b) => packageOf(b.file)));
    expect([...packages].sort()).toEqual(['cells', 'core', 'onnx', 'seq2seq', 'text', 'trainer', 'transformer', 'wrappers']);
    expect(runnable.length).toBeGreaterThan(checked.length / 2);
  });

  it('gives every main class and function of every package an example', () => {
    const named = new Map<string, Set<string>>();
    for (const file of sourceFiles(ROOT)) {
      const names = named.get(packageOf(file)) ?? new Set<string>();
      for (const name of namesWithExamples(readFileSync(join(ROOT, file), 'utf8'))) names.add(name);
      named.set(packageOf(file), names);
    }
    const missing = Object.entries(MAIN).flatMap(([pkg, names]) =>
      names.filter((n) => !named.get(pkg)?.has(n)).map((n) => `${pkg}: ${n}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no compiler errors outside the examples', () => {
    expect(result.other).toEqual([]);
  });

  it.each(checked.map((b) => [`${b.file}:${b.line}`, b] as const))('%s type-checks', (_, block) => {
    expect(result.byBlock.get(block) ?? []).toEqual([]);
  });

  it.each(runnable.map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s runs without throwing',
    async (_, block) => {
      const run = await runOf(block);
      expect(run, `${block.file}:${block.line}: no result`).toBeDefined();
      expect(run?.ok, run && describeFailure(block, run)).toBe(true);
    },
    BATCH_TIMEOUT_MS + 10_000,
  );
});
