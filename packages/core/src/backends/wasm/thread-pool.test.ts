import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../errors.js';
import { type SharedKernels, instantiateSharedKernels } from './kernels.js';
import { GEMM_MAX_ARGS, GEMM_OPS } from './parallel-gemm.js';
import { ThreadPool, threadsAvailable } from './thread-pool.js';

const OP_GEMM = GEMM_OPS.indexOf('gemm');

describe('ThreadPool', () => {
  let shared: SharedKernels;
  /** Byte address of an n×n GEMM's operands A, B, C and workspace, above the static data. */
  let base: number;
  beforeAll(async () => {
    expect(threadsAvailable()).toBe(true); // Node: always
    shared = (await instantiateSharedKernels('simd', 2 ** 26))!;
    base = (shared.kernels.heapBase() + 15) & ~15;
    shared.kernels.memory.grow(96); // 6 MiB: room for a 512³ product
  });

  /** Arguments of `gemm` for C = A·B with n×n operands (whatever the memory holds) laid out from `base`. */
  function job(n: number, c = base + 8 * n * n): number[] {
    const work = base + 12 * n * n;
    return [0, 0, n, n, n, 1, base, n, base + 4 * n * n, n, 0, c, n, work];
  }

  const start = (timeoutMs?: number) =>
    ThreadPool.start(shared.module, shared.kernels.memory, { threads: 2, ops: GEMM_OPS, maxArgs: GEMM_MAX_ARGS, timeoutMs });

  it('runs a job on the helper while the caller runs its own, and returns when both are done', async () => {
    const pool = await start();
    try {
      const f32 = new Float32Array(shared.kernels.memory.buffer);
      const n = 64;
      f32.fill(1, base >> 2, (base >> 2) + 2 * n * n); // A = B = ones, so C = n everywhere
      f32.fill(0, (base >> 2) + 2 * n * n, (base >> 2) + 3 * n * n);
      let ownRan = false;
      pool.parallel(OP_GEMM, [job(n)], () => {
        ownRan = true;
      });
      expect(ownRan).toBe(true);
      // The helper's writes are visible as soon as parallel() returns.
      const c = new Float32Array(shared.kernels.memory.buffer, base + 8 * n * n, n * n);
      expect(c.every((v) => v === n)).toBe(true);
    } finally {
      await pool.dispose();
    }
  });

  it("reports a helper's trap as a BackendError naming the kernel and the thread, and keeps working", async () => {
    const pool = await start();
    try {
      // C far beyond the end of memory: the helper's wasm traps.
      const bad = job(64, 2 ** 32 - 4096);
      expect(() => pool.parallel(OP_GEMM, [bad], () => {})).toThrow(BackendError);
      expect(() => pool.parallel(OP_GEMM, [bad], () => {})).toThrow(/^wasm gemm: thread 1 failed: RuntimeError: memory access out of bounds/);
      expect(pool.size).toBe(2);
      pool.parallel(OP_GEMM, [job(64)], () => {});
    } finally {
      await pool.dispose();
    }
  });

  it('takes a helper that overruns its time as lost: that call throws, later ones run on one thread', async () => {
    const pool = await start(0);
    // With no time allowed beyond 20× the caller's empty share, a 512³ product (milliseconds) overruns.
    expect(() => pool.parallel(OP_GEMM, [job(512)], () => {})).toThrow(
      /^wasm threads: GEMM thread 1 did not finish its share within 0 ms; GEMMs now run on one thread$/,
    );
    expect(pool.size).toBe(1);
    expect(() => pool.check()).not.toThrow(); // reported once, by the call that saw it
    await pool.dispose();
  });

  it('reports a helper that dies between calls once, on the next call, then runs on one thread', async () => {
    const pool = await start();
    // Kill the helper from outside (as an out-of-memory abort would): the pool hears its exit.
    const helper = (pool as unknown as { helpers: { terminate(): Promise<number> }[] }).helpers[0]!;
    await helper.terminate();
    await vi.waitFor(() => expect(pool.size).toBe(1)); // once the exit event has arrived
    let reported: unknown;
    try {
      pool.check();
    } catch (err) {
      reported = err;
    }
    expect(reported).toBeInstanceOf(BackendError);
    expect((reported as Error).message).toMatch(/^wasm threads: GEMM thread 1 exited with code \d+; GEMMs now run on one thread$/);
    expect(() => pool.check()).not.toThrow(); // once
    await pool.dispose();
  });

  it('rejects with a BackendError when a helper cannot start, and leaves no helper behind', async () => {
    // A module without the kernels' exports: the helper fails before it is ready.
    const empty = new WebAssembly.Module(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
    const started = ThreadPool.start(empty, shared.kernels.memory, { threads: 3, ops: GEMM_OPS, maxArgs: GEMM_MAX_ARGS });
    await expect(started).rejects.toThrow(BackendError);
    await expect(started).rejects.toThrow(/^wasm threads: a GEMM thread failed to start: TypeError/);
  });

  it('has size 1 after dispose, which is idempotent', async () => {
    const pool = await start();
    expect(pool.size).toBe(2);
    await pool.dispose();
    await pool.dispose();
    expect(pool.size).toBe(1);
  });

  // Also as `node --input-type=module -e …`, which makes Node's eval workers ES modules (no require).
  it.each(['file', 'module -e'] as const)(
    'never keeps a Node program alive: a script that never disposes its backend still exits (%s)',
    async (how) => {
      // The fixture imports the built package (pnpm test builds first).
      const script = fileURLToPath(new URL('./fixtures/threads-exit.mjs', import.meta.url));
      const args = how === 'file' ? [script] : ['--input-type=module', '-e', readFileSync(script, 'utf8')];
      // From the fixture's folder, so that `-e` code resolves @elman/core as the file does.
      const child = spawn(process.execPath, args, { cwd: dirname(script), stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('exit', (c, s) => resolve([c, s])),
      );
      expect(signal, output).toBeNull();
      expect(code, output).toBe(0);
      expect(JSON.parse(output)).toEqual({ threads: 2, c: 256 });
    },
  );
});
