/**
 * One measurement in a fresh process: `node src/child.mjs <suite> <caseIndex> <subject>` where subject is
 * `elman:<backend>` or a tfjs peer name. Run by scripts/run.mjs through `fork`, it sends one result message over IPC
 * so that library chatter on stdout can never corrupt the results.
 */
import { measure, measureAsync } from './measure.mjs';
import { loadTfjs, TFJS_PEERS } from './peers/tfjs.mjs';
import { suiteByName } from './suites/index.mjs';

const [suiteName, caseArg, subject] = process.argv.slice(2);
if (!suiteName || !caseArg || !subject) throw new Error('usage: child.mjs <suite> <caseIndex> <subject>');
const suite = suiteByName(suiteName);
const benchCase = suite.cases[Number(caseArg)];
if (!benchCase) throw new Error(`bench: suite '${suiteName}' has no case ${caseArg}`);

let run;
let threads;
let version = null;
let detail = '';
let variant = null;
if (subject.startsWith('elman:')) {
  const core = await import('@elman/core');
  await core.setBackend(subject.slice('elman:'.length));
  // Which kernel build ran (wasm: 'relaxed-simd' or 'simd'; ELMAN_WASM_VARIANT=simd forces SIMD128).
  variant = core.getBackend().variant ?? null;
  run = await suite.elman(core, benchCase.params);
  // Elman's kernels run on the calling thread; only suites that start worker threads (the trainer's) say otherwise.
  threads = suite.threads?.(benchCase.params) ?? 1;
} else if (subject in TFJS_PEERS) {
  if (!suite.tfjs) throw new Error(`bench: suite '${suiteName}' has no tfjs version`);
  const tfjs = await loadTfjs(TFJS_PEERS[subject]);
  run = suite.tfjs(tfjs.tf, benchCase.params);
  ({ threads, version, detail } = tfjs);
} else {
  throw new Error(`bench: unknown subject '${subject}'`);
}

const measureOptions = suite.measureOptions?.(benchCase.params, subject);
// Elman's repetitions of an async suite return promises (work on worker threads); tfjs peers stay synchronous.
const timing =
  suite.async && subject.startsWith('elman:') ? await measureAsync(run, measureOptions) : measure(run, measureOptions);
const result = {
  value: suite.value(benchCase.params, timing.medianMs),
  ...(suite.extras ? { extras: suite.extras(benchCase.params, timing.medianMs) } : {}),
  // A peer that an Elman measurement runs itself (a native tool), reported like a tfjs peer.
  ...(suite.peer && subject.startsWith('elman:') ? { peer: suite.peer(benchCase.params, timing.medianMs) } : {}),
  threads,
  version,
  detail,
  variant,
  ...timing,
};
if (process.send) process.send(result);
else process.stdout.write(`${JSON.stringify(result)}\n`);
