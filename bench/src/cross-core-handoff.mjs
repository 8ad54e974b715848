/**
 * How long one core takes to see a cache line the other core just wrote: two threads take turns incrementing one
 * shared int32 (each spins until the other's store is visible, then stores), and the time per turn is the one-way
 * hand-off latency. Hogwild word2vec lives on such transfers (both threads write the frequent words' rows), so the
 * word2vec suite reports this next to its multi-worker figures. On the 2-vCPU VMs here it is ~50 ns most of the time
 * and ~190 ns at others (the host placing the vCPUs on different chiplets), and it can change within seconds.
 *
 * Runs in a child process (synchronous for the caller, no worker threads left in the bench process).
 */
import { spawnSync } from 'node:child_process';

const PROBE = `
const { Worker } = require('node:worker_threads');
const turns = 200000;
const source = \`const { workerData, parentPort } = require('node:worker_threads');
const a = new Int32Array(workerData.sab);
Atomics.wait(a, 16, 0);
const t0 = performance.now();
for (let i = 0; i < workerData.turns; i++) {
  const mine = 2 * i + workerData.me;
  while (Atomics.load(a, 0) !== mine) {}
  Atomics.store(a, 0, mine + 1);
}
parentPort.postMessage((performance.now() - t0) / workerData.turns / 2 * 1e6);\`;
const sab = new SharedArrayBuffer(128);
const workers = [0, 1].map((me) => new Worker(source, { eval: true, workerData: { sab, me, turns } }));
setTimeout(async () => {
  const a = new Int32Array(sab);
  Atomics.store(a, 16, 1);
  Atomics.notify(a, 16);
  const ns = await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  console.log(Math.max(...ns).toFixed(0));
  await Promise.all(workers.map((w) => w.terminate()));
}, 100);
`;

/** One-way cross-core hand-off latency in ns (rounded), or null when the probe failed. */
export function crossCoreHandoffNs() {
  const r = spawnSync(process.execPath, ['-e', PROBE], { encoding: 'utf8', timeout: 30_000 });
  const ns = Number.parseInt(r.stdout, 10);
  return r.status === 0 && Number.isFinite(ns) ? ns : null;
}
