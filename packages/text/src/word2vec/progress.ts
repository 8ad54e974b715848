/** A training progress report (`onProgress` of `Word2Vec.train`). */
export interface TrainingProgress {
  /** Current epoch, 1-based. */
  epoch: number;
  /** Epochs of this run. */
  epochs: number;
  /** Fraction of the run done, in [0, 1]. */
  progress: number;
  /** In-vocabulary words processed so far (before subsampling), all epochs. */
  words: number;
  /** In-vocabulary words the run will process (vocabulary counts × epochs). */
  totalWords: number;
  /** The current learning rate. */
  alpha: number;
  /** Corpus words (every token read) per second so far. */
  wordsPerSecond: number;
  /** Seconds since the run started. */
  elapsedSeconds: number;
  /** Estimated seconds left. */
  etaSeconds: number;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}

/**
 * One plain progress line, e.g. `epoch 2/5  41.3%  alpha 0.029631  412.5k words/s  elapsed 3.2s  ETA 4.6s`:
 * `train(corpus, { onProgress: (p) => console.log(formatProgress(p)) })`.
 */
export function formatProgress(p: TrainingProgress): string {
  return [
    `epoch ${p.epoch}/${p.epochs}`,
    `${(100 * p.progress).toFixed(1)}%`,
    `alpha ${p.alpha.toFixed(6)}`,
    `${(p.wordsPerSecond / 1000).toFixed(1)}k words/s`,
    `elapsed ${fmtSeconds(p.elapsedSeconds)}`,
    `ETA ${fmtSeconds(p.etaSeconds)}`,
  ].join('  ');
}
