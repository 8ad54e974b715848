// The page: the setup form, the worker, and the live views (loss chart, samples, attention heat map, download).
import { lineChartSvg } from './chart.js';
import { heatMapSvg } from './heat-map.js';
import { formatFigure, formatLoss } from './format.js';
import { lossStats } from './loss-stats.js';
import {
  type CellKind,
  DEFAULTS,
  type Sample,
  TASKS,
  TASK_LABELS,
  TRANSFORMER_DEFAULTS,
  type TaskName,
  type TrainConfig,
  type WorkerMessage,
  parseTrainConfig,
} from './protocol.js';
import { escapeXml } from './svg.js';

/** What each task trains, shown under the form. */
const NOTES: Record<TaskName, string> = {
  sine: 'A noisy sine wave (period 25). The model reads 25 past values and predicts the next; the last 20 % is held out.',
  births: 'Monthly US births 1969–1988 (CDC/NCHS, 240 months). The network reads 24 months of year-on-year changes and predicts the next change, a correction to the seasonal-naive forecast (same month last year); the last 4 years are held out.',
  charlm: 'A char-RNN (LSTM or GRU) or a 2-layer GPT-style transformer (hidden size = model width, 4 heads) learns Moby Dick’s first ten chapters character by character (the last 10 % held out), then continues “Call me ”.',
  dates: 'A BiLSTM encoder and an LSTM decoder with additive attention (Bahdanau et al. 2015) rewrite dates like “mar 3, 2021” as 2021-03-03. The heat map shows where the decoder looks.',
};

/** The element with id `id`, typed; throws if the page lacks it. */
function byId<E extends HTMLElement>(id: string): E {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: no #${id} in the page`);
  return el as E;
}

const form = byId<HTMLFormElement>('controls');
const taskSelect = byId<HTMLSelectElement>('task');
const trainButton = byId<HTMLButtonElement>('train');
const stopButton = byId<HTMLButtonElement>('stop');
const downloadButton = byId<HTMLButtonElement>('download');
const status = byId<HTMLParagraphElement>('status');
const NUMERIC = ['hiddenSize', 'learningRate', 'steps', 'batchSize', 'seed', 'temperature'] as const;

for (const name of TASKS) taskSelect.add(new Option(TASK_LABELS[name], name));

/** The choices of the model select, per task. */
const CELL_LABELS: Record<CellKind, string> = { lstm: 'LSTM', gru: 'GRU', transformer: 'Transformer (GPT-style)' };

/** Fills the form with the defaults of `task` and shows only the fields it uses. */
function applyDefaults(task: TaskName): void {
  const d = DEFAULTS[task];
  const cell = byId<HTMLSelectElement>('cell');
  cell.replaceChildren(...(['lstm', 'gru', 'transformer'] as const).filter((c) => c !== 'transformer' || task === 'charlm').map((c) => new Option(CELL_LABELS[c], c)));
  cell.value = d.cell;
  for (const name of NUMERIC) byId<HTMLInputElement>(name).value = String(d[name]);
  byId('cell-field').hidden = task === 'dates';
  byId('temperature-field').hidden = task !== 'charlm';
  byId('task-note').textContent = NOTES[task];
}

/** The form's values as a checked configuration. */
function readConfig(): TrainConfig {
  const raw: Record<string, unknown> = { task: taskSelect.value, cell: byId<HTMLSelectElement>('cell').value };
  for (const name of NUMERIC) raw[name] = Number(byId<HTMLInputElement>(name).value);
  return parseTrainConfig(raw);
}

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

let losses: number[] = [];
let config: TrainConfig = DEFAULTS.sine;
let chartQueued = false;

/** Redraws the loss chart and the statistics at most once per frame, however fast the steps arrive. */
function queueLossView(): void {
  if (chartQueued) return;
  chartQueued = true;
  requestAnimationFrame(() => {
    chartQueued = false;
    const stats = lossStats(losses);
    if (!stats) return;
    byId('stat-step').textContent = `${stats.steps} / ${config.steps}`;
    byId('stat-loss').textContent = formatLoss(stats.latest);
    byId('stat-initial').textContent = formatLoss(stats.initial);
    byId('stat-recent').textContent = formatLoss(stats.recent);
    const title = config.task === 'charlm' || config.task === 'dates' ? 'cross-entropy (nats), log scale' : 'MSE (standardised units), log scale';
    byId('loss-chart').innerHTML = lineChartSvg([{ label: 'training loss', color: '#1f5fbf', values: losses, x0: 1 }], {
      title: `Training loss per step: ${title}`,
      width: 900,
      height: 260,
      logY: true,
    });
  });
}

/** Shows what the model does now. */
function showSample(sample: Sample, step: number): void {
  const summary = byId('sample-summary');
  const view = byId('sample');
  const attention = byId('attention');
  attention.innerHTML = '';
  if (sample.kind === 'forecast') {
    summary.textContent = `Step ${step}: held-out RMSE ${formatFigure(sample.testRmse)} vs seasonal-naive ${formatFigure(sample.baselineRmse)} (shaded: held-out part).`;
    view.innerHTML = lineChartSvg(
      [
        { label: 'truth', color: '#555', values: sample.truth },
        { label: 'one-step forecast', color: '#d95f02', values: sample.prediction },
      ],
      { title: 'Series and one-step-ahead forecast', width: 900, height: 300, shadeFrom: sample.testStart },
    );
  } else if (sample.kind === 'text') {
    summary.textContent = `Step ${step}: held-out ${sample.bitsPerChar.toFixed(3)} bits per character. Sample at temperature ${config.temperature}:`;
    const rest = sample.text.slice(sample.prompt.length);
    view.innerHTML = `<pre class="sample"><strong>${escapeXml(sample.prompt)}</strong>${escapeXml(rest)}</pre>`;
  } else {
    summary.textContent = `Step ${step}: exact match ${(sample.accuracy * 100).toFixed(1)} % on 64 held-out dates (greedy decoding).`;
    const rows = sample.rows
      .map((r) => {
        const ok = r.output === r.target;
        return `<tr><td>${escapeXml(r.input)}</td><td class="${ok ? 'ok' : 'wrong'}">${escapeXml(r.output)}${ok ? ' ✓' : ' ✗'}</td><td>${escapeXml(r.target)}</td></tr>`;
      })
      .join('');
    view.innerHTML = `<table><caption class="note">Held-out examples</caption><thead><tr><th scope="col">input</th><th scope="col">model</th><th scope="col">target</th></tr></thead><tbody>${rows}</tbody></table>`;
    const first = sample.rows[0];
    if (first) {
      const outChars = [...first.output, '</s>'].slice(0, sample.attention.length);
      attention.innerHTML = heatMapSvg(sample.attention, outChars, [...first.input], {
        title: `Attention while decoding “${first.input}”: rows are output characters, columns input characters`,
      });
    }
  }
}

function setRunning(running: boolean): void {
  trainButton.disabled = running;
  stopButton.disabled = !running;
  form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select').forEach((el) => {
    el.disabled = running;
  });
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready':
      byId('stat-backend').textContent = m.backend;
      trainButton.disabled = false;
      setStatus(`Ready (${m.backend} backend). Pick a task and press Train.`);
      break;
    case 'started':
      byId('stat-params').textContent = m.parameters.toLocaleString('en-US');
      setStatus(`Training ${TASK_LABELS[m.config.task]}…`);
      break;
    case 'progress':
      losses.push(m.loss);
      byId('stat-speed').textContent = `${m.stepsPerSecond.toFixed(1)} steps/s (${Math.round(m.stepsPerSecond * config.batchSize)} examples/s)`;
      queueLossView();
      break;
    case 'sample':
      showSample(m.sample, m.step);
      break;
    case 'done':
      setRunning(false);
      downloadButton.disabled = m.steps === 0;
      setStatus(`${m.stopped ? 'Stopped' : 'Done'} after ${m.steps} steps in ${m.seconds.toFixed(1)} s.`);
      break;
    case 'weights': {
      const url = URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = m.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus(`Saved ${m.fileName} (${m.bytes.byteLength.toLocaleString('en-US')} bytes).`);
      break;
    }
    case 'error':
      setRunning(false);
      setStatus(`Error: ${m.message}`, true);
      break;
  }
};
worker.onerror = (event) => {
  setRunning(false);
  trainButton.disabled = true;
  setStatus(`The worker failed: ${event.message}`, true);
};

taskSelect.addEventListener('change', () => applyDefaults(taskSelect.value as TaskName));
// The char LM's transformer trains with a narrower width and a smaller step than its RNNs.
byId<HTMLSelectElement>('cell').addEventListener('change', (event) => {
  if (taskSelect.value !== 'charlm') return;
  const d = (event.target as HTMLSelectElement).value === 'transformer' ? TRANSFORMER_DEFAULTS : DEFAULTS.charlm;
  byId<HTMLInputElement>('hiddenSize').value = String(d.hiddenSize);
  byId<HTMLInputElement>('learningRate').value = String(d.learningRate);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  try {
    config = readConfig();
  } catch (error) {
    setStatus(error instanceof Error ? error.message : String(error), true);
    return;
  }
  losses = [];
  for (const id of ['sample', 'attention', 'loss-chart']) byId(id).innerHTML = '';
  // Reset the status and the figures at once, so nothing of the previous run reads as this run's result.
  for (const id of ['stat-step', 'stat-loss', 'stat-initial', 'stat-recent', 'stat-speed']) byId(id).textContent = '–';
  setStatus('Starting…');
  byId('sample-summary').textContent = 'Samples appear here while training.';
  setRunning(true);
  downloadButton.disabled = true;
  worker.postMessage({ type: 'train', config });
});
stopButton.addEventListener('click', () => worker.postMessage({ type: 'stop' }));
downloadButton.addEventListener('click', () => worker.postMessage({ type: 'weights' }));
applyDefaults('sine');
