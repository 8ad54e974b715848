import { ValueError } from '@elman/core';
import type { BatchEndInfo, Callback, EpochEndInfo, EpochInfo } from './callbacks.js';
import type { Logs } from './history.js';

/** Where progress goes: anything with `write` (e.g. `process.stderr`). */
export interface ProgressStream {
  /** Writes text as is. */
  write(text: string): unknown;
  /** True for a terminal, which gets a bar redrawn in place. */
  isTTY?: boolean;
}

/** How progress is shown: a bar redrawn with `\r` (terminals), periodic plain lines (logs, CI), or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'none';

/** Options of {@link ProgressReporter}. */
export interface ProgressOptions {
  /**
   * `'auto'` (default): a bar when the stream is a TTY and the `CI` environment variable is unset, plain lines
   * otherwise, nothing when there is no stream (browsers).
   */
  mode?: ProgressMode | 'auto';
  /** Output; default `process.stderr` where it exists. */
  stream?: ProgressStream;
  /** Milliseconds between lines within an epoch in `'lines'` mode. Default 10 000. */
  intervalMs?: number;
  /** Milliseconds between bar redraws. Default 100. */
  redrawMs?: number;
  /** Characters of the bar. Default 24. */
  width?: number;
  /** Clock in milliseconds (tests inject one). Default `performance.now`. */
  now?: () => number;
}

/**
 * The trainer's progress display: per epoch a bar (or periodic lines) with batches done, running loss,
 * throughput in examples/s and ETA, then one summary line with the epoch's logs.
 */
export class ProgressReporter implements Callback {
  /** The display in use. */
  readonly mode: ProgressMode;
  readonly #stream: ProgressStream | undefined;
  readonly #intervalMs: number;
  readonly #redrawMs: number;
  readonly #width: number;
  readonly #now: () => number;
  #epochStart = 0;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #lastWidth = 0;
  #examples = 0;
  #lossSum = 0;
  #lossCount = 0;
  /** Batches seen in the previous epoch: the total for data that cannot say in advance. */
  #lastEpochBatches: number | undefined;

  /** Chooses the mode and the stream. */
  constructor(options: ProgressOptions = {}) {
    const proc = globalThis.process as NodeJS.Process | undefined;
    this.#stream = options.stream ?? proc?.stderr;
    const mode = options.mode ?? 'auto';
    if (!['auto', 'bar', 'lines', 'none'].includes(mode)) {
      throw new ValueError(`ProgressReporter: mode must be 'auto', 'bar', 'lines' or 'none', got '${String(mode)}'`);
    }
    if (mode !== 'auto') this.mode = this.#stream ? mode : 'none';
    else if (!this.#stream) this.mode = 'none';
    else this.mode = this.#stream.isTTY && !proc?.env?.CI ? 'bar' : 'lines';
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#redrawMs = options.redrawMs ?? 100;
    this.#width = options.width ?? 24;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Resets the epoch's counters. */
  onEpochBegin(_info: EpochInfo): void {
    this.#epochStart = this.#now();
    this.#lastDraw = this.#epochStart;
    this.#lastWidth = 0;
    this.#examples = 0;
    this.#lossSum = 0;
    this.#lossCount = 0;
  }

  /** Redraws the bar (throttled) or prints a line once per interval. */
  onBatchEnd(info: BatchEndInfo): void {
    if (this.mode === 'none') return;
    this.#examples += info.size;
    if (Number.isFinite(info.loss)) {
      this.#lossSum += info.loss * info.size;
      this.#lossCount += info.size;
    }
    const now = this.#now();
    const total = info.numBatches ?? this.#lastEpochBatches;
    const last = total !== undefined && info.batch + 1 >= total;
    if (this.mode === 'bar') {
      if (!last && now - this.#lastDraw < this.#redrawMs) return;
      this.#draw(this.#status(info, total, now));
    } else {
      if (now - this.#lastDraw < this.#intervalMs) return;
      this.#stream!.write(`${this.#status(info, total, now)}\n`);
    }
    this.#lastDraw = now;
  }

  /** Prints the epoch's summary line (ending the bar's line). */
  onEpochEnd(info: EpochEndInfo): void {
    if (this.mode === 'none') return;
    const seconds = (this.#now() - this.#epochStart) / 1000;
    const line = `${epochLabel(info.epoch, info.epochs)} · ${seconds.toFixed(1)}s · ${formatLogs(info.logs)}`;
    if (this.mode === 'bar') this.#draw(line, '\n');
    else this.#stream!.write(`${line}\n`);
    this.#lastWidth = 0;
  }

  /** Remembers how many batches an epoch had, for the next epoch's total when the data cannot tell. */
  noteEpochBatches(batches: number): void {
    this.#lastEpochBatches = batches;
  }

  #status(info: BatchEndInfo, total: number | undefined, now: number): string {
    const done = info.batch + 1;
    const elapsed = (now - this.#epochStart) / 1000;
    const parts = [epochLabel(info.epoch, info.epochs)];
    if (total !== undefined) {
      const frac = Math.min(1, done / total);
      const fill = Math.round(frac * this.#width);
      if (this.mode === 'bar') parts[0] += ` [${'='.repeat(fill)}${' '.repeat(this.#width - fill)}]`;
      parts.push(`${done}/${total}`);
    } else {
      parts.push(`batch ${done}`);
    }
    if (this.#lossCount > 0) parts.push(`loss ${formatNumber(this.#lossSum / this.#lossCount)}`);
    if (elapsed > 0) parts.push(`${formatNumber(this.#examples / elapsed)} ex/s`);
    if (total !== undefined && done < total && elapsed > 0) parts.push(`ETA ${formatDuration((elapsed / done) * (total - done))}`);
    return parts.join(' · ');
  }

  /** Redraws the bar's line: back to column 0, the text, spaces over the rest of a longer previous line. */
  #draw(text: string, end = ''): void {
    const pad = text.length < this.#lastWidth ? ' '.repeat(this.#lastWidth - text.length) : '';
    this.#stream!.write(`\r${text}${pad}${end}`);
    this.#lastWidth = text.length;
  }
}

/** Resolves the trainer's `progress` option to a reporter. */
export function progressReporter(option: boolean | ProgressMode | 'auto' | ProgressOptions | undefined): ProgressReporter {
  if (option === undefined || option === true) return new ProgressReporter();
  if (option === false) return new ProgressReporter({ mode: 'none' });
  if (typeof option === 'string') return new ProgressReporter({ mode: option });
  return new ProgressReporter(option);
}

function epochLabel(epoch: number, epochs: number): string {
  return `epoch ${epoch + 1}/${epochs}`;
}

/** `loss 0.1234 · val_loss 0.2345 · …` */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(' · ');
}

/** Four significant digits, switching to exponent notation for very small or large values. */
function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

/** `m:ss`, or `h:mm:ss` from an hour. */
function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
