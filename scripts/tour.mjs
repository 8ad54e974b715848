#!/usr/bin/env node
/**
 * `pnpm start`: a short tour of the demo apps (under a minute on two quiet cores). Each stop runs one app's `--quick`
 * mode — the same run its test asserts the learning claim on — then the tour lists the pictures the apps wrote.
 * `pnpm start -- --list` prints the stops; `--only a,b` runs a subset. The root `start` script builds first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listDemos } from './demo.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The stops, in curriculum order: the app, its quick-mode arguments and the lesson it shows. */
export const STOPS = [
  { app: 'quickstart', args: [], lesson: 'a first model: an MLP forecasting US daily births' },
  { app: 'forecast', args: ['--quick'], lesson: 'RNN, LSTM and GRU on real time series vs a seasonal-naive baseline' },
  { app: 'gradients', args: ['--quick'], lesson: 'vanishing gradients: ‖∂L/∂h_t‖ for tanh RNN, IRNN, LSTM, GRU' },
  { app: 'charlm', args: ['--quick'], lesson: 'truncated BPTT: character LSTM and transformer language models' },
  { app: 'sentiment', args: ['--quick'], lesson: 'a many-to-one bidirectional LSTM classifier' },
  { app: 'tagger', args: ['--quick'], lesson: 'a many-to-many bidirectional LSTM part-of-speech tagger' },
  { app: 'listops', args: ['--quick'], lesson: 'recursive nets: a tree LSTM against a BiLSTM and a transformer' },
  { app: 'translate', args: ['--quick'], lesson: 'encoder–decoder with attention: normalising dates, attention maps' },
  { app: 'word2vec', args: ['--quick'], lesson: 'CBOW and skip-gram word vectors on the State of the Union' },
];

/**
 * Parses the tour's arguments.
 *
 * @param {string[]} argv
 * @returns {{ list: boolean, only: string[] | null }}
 */
export function parseTourArgs(argv) {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const at = args.indexOf('--only');
  const only = at >= 0 ? (args[at + 1] ?? '').split(',').filter(Boolean) : null;
  return { list: args.includes('--list') || args.includes('--help'), only };
}

/**
 * The SVG/PNG files under `<root>/out`, newest first.
 *
 * @param {string} root
 * @returns {string[]}
 */
export function pictures(root) {
  const out = join(root, 'out');
  if (!existsSync(out)) return [];
  /** @type {{ path: string, time: number }[]} */
  const found = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(svg|png)$/.test(entry.name)) found.push({ path, time: statSync(path).mtimeMs });
    }
  };
  walk(out);
  return found.sort((a, b) => b.time - a.time).map((f) => f.path);
}

/**
 * Runs the tour; returns the exit code (non-zero when a stop failed; the others still run).
 *
 * @param {string[]} argv
 * @param {{ root?: string }} [options]
 * @returns {number}
 */
export function main(argv, { root = ROOT } = {}) {
  const { list, only } = parseTourArgs(argv);
  const demos = new Map(listDemos(root).map((d) => [d.name, d]));
  const stops = STOPS.filter((s) => only === null || only.includes(s.app));
  if (list) {
    console.log('pnpm start: a tour of the Elman demos (pnpm start -- --only a,b runs a subset)\n');
    for (const s of STOPS) console.log(`  ${s.app.padEnd(11)} ${s.lesson}`);
    return 0;
  }
  const started = performance.now();
  /** @type {string[]} */
  const failed = [];
  stops.forEach((stop, k) => {
    const demo = demos.get(stop.app);
    console.log(`\n━━ ${k + 1}/${stops.length} ${stop.app}: ${stop.lesson}`);
    console.log(`   (pnpm demo ${stop.app}${stop.args.length ? ` -- ${stop.args.join(' ')}` : ''})\n`);
    if (!demo) {
      failed.push(stop.app);
      console.error(`   no demo app named ${stop.app}`);
      return;
    }
    const t = performance.now();
    const run = spawnSync(process.execPath, ['dist/main.js', ...stop.args], { cwd: demo.dir, stdio: 'inherit' });
    if (run.status !== 0) failed.push(stop.app);
    console.log(`\n   ${stop.app} took ${((performance.now() - t) / 1000).toFixed(0)} s`);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const pics = pictures(root);
  console.log(`\n━━ Tour done in ${seconds} s. ${pics.length} pictures under ${relative(process.cwd(), join(root, 'out')) || '.'}/:`);
  for (const p of pics) console.log(`   ${relative(process.cwd(), p)}`);
  console.log('\nEvery demo: pnpm demo (lists them), pnpm demo <name> -- --help. Guides: docs/guides/README.md');
  if (failed.length > 0) console.error(`\nThese stops failed: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
