import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackendError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { type RecurrentCell, type RecurrentGrads, type SequenceGeometry, gateCount } from '../recurrent.js';
import { type JsBackend, createJsBackend } from './index.js';
import { gemm, withThreads } from './parallel-gemm.js';
import { JsThreadPool, forgetSharedBuffer } from './thread-pool.js';
import { JS_THREAD_STATE } from './thread-worker.js';

const CELLS: RecurrentCell[] = [
  { kind: 'lstm' },
  { kind: 'gru', resetBefore: false },
  { kind: 'gru', resetBefore: true },
  { kind: 'rnn', nonlinearity: 'tanh' },
  { kind: 'rnn', nonlinearity: 'relu' },
];

interface Case {
  B: number;
  T: number;
  X: number;
  H: number;
  lengths?: number[];
  reverse?: boolean;
}

// The per-step products of H = 128 take one Strassen level (K ≥ 128, N ≥ 96, M = B ≥ 32 even) both ways; H = 96
// only in backward (K = G·H); H = 13 takes the classical packed path with a ragged last micro-tile.
const CASES: Case[] = [
  { B: 32, T: 5, X: 24, H: 128, lengths: [5, 3, ...new Array<number>(30).fill(5)] },
  { B: 32, T: 4, X: 7, H: 96, reverse: true },
  { B: 9, T: 6, X: 11, H: 13, lengths: [6, 2, 4, 6, 6, 1, 0, 6, 5] },
];

function fill(gen: Generator, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (gen.uniform() * 2 - 1) * scale;
  return a;
}

/** Forward + final backward of one case from seeded inputs; every output and gradient. */
function run(backend: JsBackend, cell: RecurrentCell, c: Case): Record<string, Float32Array | Float64Array> {
  const gen = new Generator(7);
  const { B, T, X, H } = c;
  const GH = gateCount(cell) * H;
  const lengths = Int32Array.from(c.lengths ?? new Array<number>(B).fill(T));
  const geometry: SequenceGeometry = {
    batch: B,
    steps: T,
    inputSize: X,
    hiddenSize: H,
    lengths,
    maxLen: Math.max(0, ...lengths),
    reverse: c.reverse ?? false,
  };
  const scale = 1 / Math.sqrt(H);
  const weights = {
    weightIh: fill(gen, GH * X, scale),
    weightHh: fill(gen, GH * H, scale),
    biasIh: fill(gen, GH, scale),
    biasHh: fill(gen, GH, scale),
  };
  const x = fill(gen, B * T * X);
  const h = fill(gen, B * H, 0.5);
  const cs = cell.kind === 'lstm' ? fill(gen, B * H, 0.5) : null;
  const output = new Float32Array(B * T * H);
  const saved = backend.recurrentForward({ cell, geometry, x, weights, h, c: cs, output, keep: true })!;
  const grads: RecurrentGrads = {
    x: new Float32Array(B * T * X),
    weightIh: new Float32Array(GH * X),
    weightHh: new Float32Array(GH * H),
    biasIh: new Float32Array(GH),
    biasHh: new Float32Array(GH),
  };
  const dh = fill(gen, B * H);
  const dc = cs ? fill(gen, B * H) : null;
  const sq = new Float64Array(B * T);
  const dOutput = fill(gen, B * T * H);
  backend.recurrentBackward({ cell, geometry, x, weights, saved, dOutput, dh, dc, grads, hiddenGradSquares: sq, final: true });
  const out: Record<string, Float32Array | Float64Array> = { output, h, dh, sq };
  if (cs) out.c = cs;
  if (dc) out.dc = dc;
  for (const [k, v] of Object.entries(grads)) if (v) out[`d_${k}`] = v;
  return out;
}

describe('js backend with GEMM threads', () => {
  let one: JsBackend;
  let two: JsBackend;
  beforeAll(async () => {
    one = createJsBackend({ threads: 1 });
    // Every product on the threads, however small.
    two = createJsBackend({ threads: 2, parallelMinWork: 0 });
    expect(await two.startThreads()).toBe(2);
  });
  afterAll(() => two.dispose());

  it('reports its threads', async () => {
    expect(one.threads).toBe(1);
    expect(await one.startThreads()).toBe(1);
    expect(two.threads).toBe(2);
  });

  it.each(CELLS.flatMap((cell) => CASES.map((c, i) => [`${cell.kind}${'resetBefore' in cell && cell.resetBefore ? ' reset-before' : ''}${'nonlinearity' in cell ? ` ${cell.nonlinearity}` : ''} case ${i}`, cell, c] as const)))(
    'fused %s: forward and BPTT bit-identical to one thread',
    (_name, cell, c) => {
      const expected = run(one, cell, c);
      const jobs = vi.spyOn(JsThreadPool.prototype, 'parallel');
      const actual = run(two, cell, c);
      expect(jobs).toHaveBeenCalled(); // the helper took part
      jobs.mockRestore();
      for (const k of Object.keys(expected)) expect(actual[k], k).toEqual(expected[k]);
    },
  );

  it('matmul and linear layers (gemm, gemmBiasAct) bit-identical to one thread', () => {
    const gen = new Generator(3);
    const [M, N, K] = [70, 45, 33];
    const a = fill(gen, M * K);
    const b = fill(gen, K * N);
    const bias = fill(gen, N);
    const c1 = new Float32Array(M * N);
    const c2 = new Float32Array(M * N);
    one.gemm(false, false, M, N, K, 1, a, 0, K, b, 0, N, 0, c1, 0, N);
    two.gemm(false, false, M, N, K, 1, a, 0, K, b, 0, N, 0, c2, 0, N);
    expect(c2).toEqual(c1);
    const pre1 = new Float32Array(M * N);
    const pre2 = new Float32Array(M * N);
    one.gemmBiasAct(false, true, M, K, N, c1, 0, N, a, 0, N, bias.subarray(0, K), 'tanh', c1, 0, N, pre1);
    two.gemmBiasAct(false, true, M, K, N, c2, 0, N, a, 0, N, bias.subarray(0, K), 'tanh', c2, 0, N, pre2);
    expect(c2).toEqual(c1);
    expect(pre2).toEqual(pre1);
  });

  it('runs on one thread where SharedArrayBuffer does not exist (a page without cross-origin isolation)', () => {
    const expected = run(one, CELLS[1]!, CASES[0]!);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      const backend = createJsBackend({ threads: 2 });
      expect(backend.threads).toBe(1);
      // Twice: the second call reuses the packed weights and pooled slabs (and pools more than it keeps).
      for (let i = 0; i < 2; i++) {
        const actual = run(backend, CELLS[1]!, CASES[0]!);
        for (const k of Object.keys(expected)) expect(actual[k], k).toEqual(expected[k]);
      }
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('rejects invalid options with a ValueError naming them', () => {
    expect(() => createJsBackend({ threads: 0 })).toThrow(ValueError);
    expect(() => createJsBackend({ threads: 1.5 })).toThrow(/^createJsBackend: threads must be an integer from 1 to 64, got 1.5$/);
    expect(() => createJsBackend({ parallelMinWork: -1 })).toThrow(/^createJsBackend: parallelMinWork must be a non-negative number, got -1$/);
  });

  it('reads ELMAN_JS_THREADS, and rejects a bad value', () => {
    vi.stubEnv('ELMAN_JS_THREADS', '2');
    try {
      expect(createJsBackend().threads).toBe(2);
      vi.stubEnv('ELMAN_JS_THREADS', 'two');
      expect(() => createJsBackend()).toThrow(/^createJsBackend: ELMAN_JS_THREADS must be an integer from 1 to 64, got two$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('JsThreadPool failures', () => {
  /** An own share that waits for helper 1 to claim its job, so that the caller cannot take it back. */
  const claimedBy = (pool: JsThreadPool) => () => {
    const states = (pool as unknown as { states: Int32Array }).states;
    while (Atomics.load(states, 1) === JS_THREAD_STATE.run);
  };
  const unreachable = () => {
    throw new Error('the job ran on the calling thread');
  };
  const kill = (pool: JsThreadPool) => (pool as unknown as { helpers: { terminate(): Promise<number> }[] }).helpers[0]!.terminate();

  it('a helper that dies: the next product throws a BackendError once, then they run on one thread', async () => {
    const pool = new JsThreadPool({ threads: 2 });
    await pool.whenReady();
    await kill(pool);
    await vi.waitFor(() => expect(pool.size).toBe(1)); // once the exit event has arrived
    const [M, N, K] = [40, 40, 40];
    const a = new Float32Array(M * K).fill(1);
    const c = new Float32Array(M * N);
    const product = () => withThreads({ pool, minWork: 0 }, () => gemm(false, false, M, N, K, 1, a, 0, K, a, 0, N, 0, c, 0, N));
    let reported: unknown;
    try {
      product();
    } catch (err) {
      reported = err;
    }
    expect(reported).toBeInstanceOf(BackendError);
    expect((reported as Error).message).toMatch(/^js threads: GEMM thread 1 exited with code \d+; GEMMs now run on one thread$/);
    product(); // reported once: this one runs on the calling thread
    expect(c.every((v) => v === K)).toBe(true);
    await pool.dispose();
  });

  it('a helper that hangs: the call throws a BackendError, later ones run on one thread', async () => {
    const pool = new JsThreadPool({ threads: 2, timeoutMs: 0 });
    await pool.whenReady();
    // A job that runs for minutes (8×8 outputs over a depth of 2^30, reading past the buffer's end as NaN) against no
    // time allowed beyond 20× the caller's share (the wait for the helper to claim it).
    const depth = 2 ** 30;
    const id = pool.idOf(new SharedArrayBuffer(1024));
    expect(() => pool.parallel([[0, 0, 0, 8, 8, depth, 1, id, 0, depth, id, 0, 8, 0, id, 0, 8]], claimedBy(pool), [unreachable])).toThrow(
      /^js threads: GEMM thread 1 did not finish its share within \d+ ms; GEMMs now run on one thread$/,
    );
    expect(pool.size).toBe(1);
    expect(pool.ready()).toBe(1);
    await pool.dispose();
  });

  it("reports a helper's exception as a BackendError naming the op and the thread, and keeps working", async () => {
    const pool = new JsThreadPool({ threads: 2 });
    await pool.whenReady();
    // Buffer id 999 was never sent: the helper's kernel call throws.
    expect(() => pool.parallel([[0, 0, 0, 8, 8, 8, 1, 999, 0, 8, 999, 0, 8, 0, 999, 0, 8]], claimedBy(pool), [unreachable])).toThrow(
      /^js gemm: thread 1 failed: TypeError/,
    );
    expect(pool.size).toBe(2);
    await pool.dispose();
    expect(pool.size).toBe(1);
    await pool.dispose(); // idempotent
  });

  it('helpers drop a buffer the caller forgets: a later job naming it fails', async () => {
    const pool = new JsThreadPool({ threads: 2 });
    await pool.whenReady();
    const buffer = new SharedArrayBuffer(4 * 3 * 64);
    const id = pool.idOf(buffer);
    const job = [0, 0, 0, 8, 8, 8, 1, id, 0, 8, id, 64, 8, 0, id, 128, 8];
    new Float32Array(buffer).fill(1, 0, 128);
    pool.parallel([job], claimedBy(pool), [unreachable]);
    expect(new Float32Array(buffer, 4 * 128, 64).every((v) => v === 8)).toBe(true);
    forgetSharedBuffer(buffer);
    expect(() => pool.parallel([job], claimedBy(pool), [unreachable])).toThrow(/^js gemm: thread 1 failed: TypeError/);
    await pool.dispose();
  });

  it('never keeps a Node program alive: a script that never disposes its threads still exits', async () => {
    // The built package (pnpm test builds first), by its own name from this package's folder.
    const script = `
      import { createJsBackend } from '@elman/core';
      const backend = createJsBackend({ threads: 2, parallelMinWork: 0 });
      const n = 64;
      const a = new Float32Array(n * n).fill(1);
      const c = new Float32Array(n * n);
      console.log(JSON.stringify({ ready: await backend.startThreads() }));
      backend.gemm(false, false, n, n, n, 1, a, 0, n, a, 0, n, 0, c, 0, n);
      console.log(JSON.stringify({ c: c[0] }));
    `;
    const cwd = fileURLToPath(new URL('../../..', import.meta.url));
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    expect(signal, output).toBeNull();
    expect(code, output).toBe(0);
    expect(output.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ ready: 2 }, { c: 64 }]);
  });
});

