import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_MSE, type ExperimentResult, MODEL_KINDS, type ModelKind, gradientRatio } from './experiment.js';
import { type ChartSeries, PALETTE, lineChart } from '@elman/app-kit';

const COLORS: Record<ModelKind, string> = {
  'tanh RNN': PALETTE[0]!,
  IRNN: PALETTE[1]!,
  LSTM: PALETTE[2]!,
  GRU: PALETTE[3]!,
};

/** The result as a plain-text table: per model the gradient ratios, the largest gradient norm and the MSEs. */
export function formatTable(result: ExperimentResult): string {
  const e = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : 'NaN');
  const m = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : 'NaN');
  const header = [
    'model',
    'ratio init',
    'ratio trained',
    'ratio clipped',
    'max ‖g‖',
    'max ‖g‖ clipped',
    'MSE init',
    'MSE trained',
    'MSE clipped',
  ];
  const rows = result.models.map((r) => {
    const [plain, clipped] = r.runs;
    return [
      r.kind,
      e(gradientRatio(r.initialHiddenGradNorms)),
      e(gradientRatio(plain.hiddenGradNorms)),
      e(gradientRatio(clipped.hiddenGradNorms)),
      e(maxFinite(plain.gradNorms)),
      e(maxFinite(clipped.gradNorms)),
      m(r.initialMse),
      m(plain.finalMse),
      m(clipped.finalMse),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `T = ${result.length}, ${result.steps} Adam steps per run; ratio = ‖∂L/∂h_0‖ / ‖∂L/∂h_${result.length - 1}‖ on held-out data`,
    'at initialisation, after training, after training with clipping;',
    `max ‖g‖ = largest global gradient norm seen before clipping (clipped runs: clipGradNorm to ${result.maxNorm});`,
    `MSE on held-out data; predicting the mean scores ${BASELINE_MSE.toFixed(3)}.`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}

function maxFinite(values: Float32Array): number {
  let best = Number.NaN;
  for (const v of values) if (Number.isFinite(v) && !(v <= best)) best = v;
  return best;
}

/** ‖∂L/∂h_t‖ / ‖∂L/∂h_{T−1}‖ for every t: how much of the gradient at the last step survives back to step t. */
function relative(norms: Float32Array): Float32Array {
  const last = norms[norms.length - 1]!;
  return norms.map((v) => v / last);
}

/** Mean of each window of `k` consecutive values ending at i (so noisy per-step losses read as a trend). */
function runningMean(values: Float32Array, k: number): Float32Array {
  const out = new Float32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= k) sum -= values[i - k]!;
    out[i] = sum / Math.min(i + 1, k);
  }
  return out;
}

function range(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i);
}

/**
 * Writes the explorer's pictures into `outDir` (created if missing) and returns their paths:
 * `hidden-grad-norms-init.svg`, `hidden-grad-norms-trained.svg`, `training-loss.svg`, `gradient-norm.svg`.
 */
export function writePictures(result: ExperimentResult, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const T = result.length;
  const steps = range(result.steps);
  const order = (kind: ModelKind): number => MODEL_KINDS.indexOf(kind);
  const models = [...result.models].sort((a, b) => order(a.kind) - order(b.kind));
  const yRel = `‖∂L/∂h_t‖ / ‖∂L/∂h_${T - 1}‖ (log scale)`;
  const charts: Record<string, string> = {
    'hidden-grad-norms-init.svg': lineChart({
      title: `Gradient reaching step t at initialisation (adding problem, T = ${T})`,
      xLabel: 't (time step)',
      yLabel: yRel,
      logY: true,
      series: models.map((r) => ({
        label: r.kind,
        x: range(T),
        y: relative(r.initialHiddenGradNorms),
        color: COLORS[r.kind],
      })),
    }),
    'hidden-grad-norms-trained.svg': lineChart({
      title: `Gradient reaching step t after ${result.steps} steps (dashed: clipped)`,
      xLabel: 't (time step)',
      yLabel: yRel,
      logY: true,
      series: models.flatMap((r) =>
        r.runs.map((run) => ({
          label: `${r.kind}${run.clipped ? ' clip' : ''}`,
          x: range(T),
          y: relative(run.hiddenGradNorms),
          color: COLORS[r.kind],
          dashed: run.clipped,
        })),
      ),
    }),
    'training-loss.svg': lineChart({
      title: `Training MSE, running mean of 10 steps (dashed: clipped; T = ${T})`,
      xLabel: 'step',
      yLabel: 'MSE (log scale)',
      logY: true,
      series: [
        ...models.flatMap((r) =>
          r.runs.map((run) => ({
            label: `${r.kind}${run.clipped ? ' clip' : ''}`,
            x: steps,
            y: runningMean(run.losses, 10),
            color: COLORS[r.kind],
            dashed: run.clipped,
          })),
        ),
        { label: 'mean baseline', x: [0, result.steps - 1], y: [BASELINE_MSE, BASELINE_MSE], color: '#777777' },
      ],
    }),
    'gradient-norm.svg': lineChart({
      title: 'Global gradient norm before clipping (dashed: clipped runs)',
      xLabel: 'step',
      yLabel: '‖g‖ (log scale)',
      logY: true,
      series: [
        ...models.flatMap((r) =>
          r.runs.map(
            (run): ChartSeries => ({
              label: `${r.kind}${run.clipped ? ' clip' : ''}`,
              x: steps,
              y: run.gradNorms,
              color: COLORS[r.kind],
              dashed: run.clipped,
            }),
          ),
        ),
        { label: `clip at ${result.maxNorm}`, x: [0, result.steps - 1], y: [result.maxNorm, result.maxNorm], color: '#777777' },
      ],
    }),
  };
  return Object.entries(charts).map(([name, svg]) => {
    const path = join(outDir, name);
    writeFileSync(path, svg);
    return path;
  });
}
