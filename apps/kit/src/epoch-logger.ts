/** What an {@link epochLogger} is told at the end of an epoch (a structural subset of the trainer's `EpochEndInfo`). */
export interface EpochLoggerInfo {
  /** 0-based epoch index. */
  epoch: number;
  /** Epochs to reach in total. */
  epochs: number;
  /** The epoch's figures (`loss`, metrics, `val_*`). */
  logs: Readonly<Record<string, number | undefined>>;
}

/** A `Trainer.fit` callback (`@elman/trainer`'s `Callback` shape) that prints one line per epoch. */
export interface EpochLogger {
  /** Starts the epoch's clock. */
  onEpochBegin(): void;
  /** Prints `epoch e/E  loss …  val_… …  N ex/s  s`. */
  onEpochEnd(info: EpochLoggerInfo): void;
}

/**
 * A progress callback for the demo apps: one plain line per epoch through `log`, with every log figure (4 significant
 * digits), the throughput in examples per second (`examples` per epoch) and the epoch's seconds. Plain lines, so they
 * read the same in a terminal, a CI log and a test.
 */
export function epochLogger(log: (line: string) => void, examples: number, prefix = ''): EpochLogger {
  let started = 0;
  return {
    onEpochBegin(): void {
      started = performance.now();
    },
    onEpochEnd(info: EpochLoggerInfo): void {
      const seconds = (performance.now() - started) / 1000;
      const figures = Object.entries(info.logs)
        .filter((e): e is [string, number] => typeof e[1] === 'number')
        .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`);
      const rate = Math.round(examples / Math.max(seconds, 1e-9));
      log(`${prefix}epoch ${info.epoch + 1}/${info.epochs}  ${figures.join('  ')}  ${rate} ex/s  ${seconds.toFixed(1)} s`);
    },
  };
}
