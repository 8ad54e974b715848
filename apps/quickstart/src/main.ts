#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { getBackend, ready } from '@elman/core';
import { trainBirths } from './train.js';

const HELP = `elman quickstart — forecast tomorrow's US births from the previous two weeks

Usage: pnpm start [-- options]
  --epochs N   passes over the training data (default 30; --quick uses 5)
  --quick      a short run (a few seconds)
  --help       this text

Data: CDC/NCHS daily US births 1969–1988 (7,305 days), first 80% train, last 20% validate.
Model: Linear(14, 32) → tanh → Linear(32, 1), Adam, MSE on standardised births.`;

const { values } = parseArgs({
  options: {
    epochs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(HELP);
} else {
  const epochs = values.epochs ? Number(values.epochs) : values.quick ? 5 : 30;
  // Switch from the js reference backend to the fastest one available (wasm SIMD where it validates).
  await ready();
  console.log(`Elman quickstart: MLP on US daily births 1969–1988, ${epochs} epochs, ${getBackend().name} backend`);
  console.log('epoch   train MSE    val MSE   val RMSE (births/day)');
  const started = performance.now();
  const result = trainBirths({
    epochs,
    onEpoch: (e) =>
      console.log(
        `${String(e.epoch).padStart(5)}  ${e.trainLoss.toFixed(4).padStart(9)}  ${e.valLoss.toFixed(4).padStart(9)}  ${e.valRmse.toFixed(0).padStart(8)}`,
      ),
  });
  const first = result.history[0]!;
  const last = result.history[result.history.length - 1]!;
  console.log(
    `\ntrain loss fell ${(first.trainLoss / last.trainLoss).toFixed(1)}× (untrained → epoch ${last.epoch}); ` +
      `val RMSE ${last.valRmse.toFixed(0)} births/day vs seasonal-naive (same weekday last week) ${result.seasonalNaiveRmse.toFixed(0)}; ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
