/**
 * `pnpm bench [suite ...]`: runs every measurement of the selected suites (all by default) in a fresh Node process,
 * prints one JSON line per (benchmark, shape, Elman backend, peer), merges them into bench/results/latest.jsonl
 * (replacing the earlier lines of the suites that ran) and regenerates bench/RESULTS.md.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listBackends, setBackend } from '@elman/core';
import { writeFileAtomic } from '../src/atomic-write.mjs';
import { machineInfo } from '../src/machine.mjs';
import { TFJS_PEERS } from '../src/peers/tfjs.mjs';
import { SUITES, suiteByName } from '../src/suites/index.mjs';
import { writeResultsMd } from './results-md.mjs';

const CHILD = fileURLToPath(new URL('../src/child.mjs', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const LATEST = `${RESULTS_DIR}latest.jsonl`;
// A measurement takes seconds; one that runs for minutes is hung, and a hang must not pass for a slow result.
const CHILD_TIMEOUT_MS = 180_000;

const requested = process.argv.slice(2);
const suites = requested.length > 0 ? requested.map(suiteByName) : SUITES;
const command = ['pnpm bench', ...requested].join(' ');
const started = performance.now();

/**
 * Runs one measurement in a fresh process and resolves with the message it sends.
 * Node flags given to this script (e.g. --experimental-wasm-relaxed-simd) pass on to the child.
 */
function measureInChild(suite, caseIndex, subject) {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [suite.name, String(caseIndex), subject], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      timeout: suite.timeoutMs ?? CHILD_TIMEOUT_MS,
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    let result = null;
    child.on('message', (message) => {
      result = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && result) resolve(result);
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new Error(`bench: ${suite.name} ${suite.cases[caseIndex].shape} on ${subject} ${how}\n${output}`));
      }
    });
  });
}

/** Elman backends that initialise here; a registered backend this machine cannot run is reported and skipped. */
async function usableBackends() {
  const usable = [];
  for (const name of listBackends()) {
    try {
      await setBackend(name);
      usable.push(name);
    } catch (err) {
      process.stderr.write(`bench: skipping Elman backend '${name}': ${err.message}\n`);
    }
  }
  return usable;
}

/** Rounds a figure to 4 significant digits; more would be noise. */
function round(x) {
  return Number(x.toPrecision(4));
}

/** A suite's extra figures, rounded; with a prefix `peer`, `sequencesPerSec` becomes `peerSequencesPerSec`. */
function extraFields(extras, prefix = '') {
  if (!extras) return {};
  const key = (k) => (prefix ? `${prefix}${k[0].toUpperCase()}${k.slice(1)}` : k);
  return Object.fromEntries(Object.entries(extras).map(([k, v]) => [key(k), round(v)]));
}

const backends = await usableBackends();
const lines = [];
for (const suite of suites) {
  const peers = suite.tfjs ? Object.keys(TFJS_PEERS).filter((p) => !suite.peers || suite.peers.includes(p)) : [];
  for (let i = 0; i < suite.cases.length; i++) {
    const benchCase = suite.cases[i];
    const info = machineInfo();
    const ours = {};
    const caseBackends = suite.backends ? backends.filter((b) => suite.backends.includes(b)) : backends;
    for (const backend of caseBackends) {
      process.stderr.write(`bench: ${suite.name} ${benchCase.shape} elman:${backend}\n`);
      ours[backend] = await measureInChild(suite, i, `elman:${backend}`);
    }
    const theirs = {};
    for (const peer of peers) {
      process.stderr.write(`bench: ${suite.name} ${benchCase.shape} ${peer}\n`);
      theirs[peer] = await measureInChild(suite, i, peer);
    }
    for (const backend of caseBackends) {
      const mine = ours[backend];
      for (const peer of peers.length > 0 ? peers : [null]) {
        // Without tfjs peers, a suite may report a peer it ran itself in the same measurement (`suite.peer`).
        const other = peer ? theirs[peer] : (mine.peer ?? null);
        const line = {
          name: suite.name,
          shape: benchCase.shape,
          backend,
          value: round(mine.value),
          unit: suite.unit,
          peer: peer ?? other?.name ?? null,
          peerValue: other ? round(other.value) : null,
          ratio: other ? round(mine.value / other.value) : null,
          higherIsBetter: suite.higherIsBetter,
          threads: mine.threads,
          ...(mine.variant ? { wasmVariant: mine.variant } : {}),
          peerThreads: other ? other.threads : null,
          peerVersion: other ? other.version : null,
          ...(other?.detail ? { peerDetail: other.detail } : {}),
          reps: mine.reps,
          peerReps: other ? other.reps : null,
          ...extraFields(mine.extras),
          ...extraFields(other?.extras, 'peer'),
          ...(benchCase.note ? { note: benchCase.note } : {}),
          command,
          ...info,
        };
        process.stdout.write(`${JSON.stringify(line)}\n`);
        lines.push(line);
      }
    }
  }
}

// Keep the latest lines of suites that did not run this time, so RESULTS.md always lists every benchmark.
const ran = new Set(suites.map((s) => s.name));
const kept = existsSync(LATEST)
  ? readFileSync(LATEST, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l))
      .filter((l) => !ran.has(l.name))
  : [];
mkdirSync(RESULTS_DIR, { recursive: true });
// Suites in SUITES order (a stable sort keeps each suite's own order); lines of a removed suite go last.
const rank = (l) => {
  const at = SUITES.findIndex((s) => s.name === l.name);
  return at < 0 ? SUITES.length : at;
};
const merged = [...kept, ...lines].sort((a, b) => rank(a) - rank(b));
writeFileAtomic(LATEST, merged.map((l) => `${JSON.stringify(l)}\n`).join(''));
writeResultsMd();
process.stderr.write(
  `bench: ${lines.length} results in ${((performance.now() - started) / 1000).toFixed(1)} s -> bench/results/latest.jsonl, bench/RESULTS.md\n`,
);
