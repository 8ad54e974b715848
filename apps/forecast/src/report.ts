import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChart, textTable } from '@elman/app-kit';
import { BASELINES, MODELS, type SeriesResult } from './experiment.js';

/** Days of the births test period drawn in its plot: a whole test period of daily points would be a solid band. */
const BIRTHS_PLOT_DAYS = 91;

/** The RMSE/MAE table of every series, models and baselines, in each series' units. */
export function formatTable(results: readonly SeriesResult[]): string {
  const rows: (string | number)[][] = [];
  for (const r of results) {
    for (const name of [...MODELS, ...BASELINES]) {
      const e = r.errors[name]!;
      rows.push([`${r.name} (${r.units})`, name === 'seasonal naive' ? `seasonal naive (lag ${r.period})` : name, e.rmse, e.mae]);
    }
  }
  return textTable({ header: ['series', 'forecaster', 'test RMSE', 'test MAE'], rows, digits: 2 });
}

/** Writes, per series, the test-period predictions against the truth and the training curves; returns the paths. */
export function writePictures(results: readonly SeriesResult[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  const write = (name: string, svg: string): void => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    paths.push(path);
  };
  for (const r of results) {
    const n = r.name === 'births' ? Math.min(BIRTHS_PLOT_DAYS, r.truth.length) : r.truth.length;
    const x = r.testYears.subarray(0, n);
    // Births are drawn in thousands: tick labels of five-digit values would all read "1e+4".
    const scale = r.name === 'births' ? 1e-3 : 1;
    const y = (v: Float32Array): Float32Array => v.subarray(0, n).map((e) => e * scale);
    const rmse = (name: string): string => r.errors[name]!.rmse.toFixed(r.name === 'co2' ? 2 : 0);
    write(
      `${r.name}-test-predictions.svg`,
      lineChart({
        title: `${r.name}: one-step forecasts over the test period${n < r.truth.length ? ` (first ${n} days)` : ''}`,
        xLabel: 'year',
        yLabel: scale === 1 ? r.units : `thousand ${r.units}`,
        width: 900,
        series: [
          { label: 'truth', x, y: y(r.truth), color: '#000000' },
          ...MODELS.map((m) => ({ label: `${m} (RMSE ${rmse(m)})`, x, y: y(r.predictions[m]!) })),
          { label: `seasonal naive (${rmse('seasonal naive')})`, x, y: y(r.predictions['seasonal naive']!), dashed: true },
        ],
      }),
    );
    write(
      `${r.name}-training.svg`,
      lineChart({
        title: `${r.name}: training and validation loss (MSE, scaled)`,
        xLabel: 'epoch',
        yLabel: 'MSE',
        logY: true,
        series: MODELS.flatMap((m) => {
          const run = r.runs[m]!;
          const epochs = run.trainLoss.map((_, i) => i + 1);
          return [
            { label: `${m} train`, x: epochs, y: run.trainLoss },
            { label: `${m} validation`, x: epochs, y: run.valLoss, dashed: true },
          ];
        }),
      }),
    );
  }
  return paths;
}
