import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ValueError } from '@elman/core';
import type { Example } from '../data/dataset.js';

/** Options of {@link lineDataset}. */
export interface LineDatasetOptions {
  /** Lines to skip at the start of the file (a CSV header). Default 0. */
  skipLines?: number;
}

/**
 * A dataset streamed from a text file, one example per line (CSV, JSON lines, …): `parse(line, lineNumber)` turns
 * a line into an {@link Example}, or null to skip it. Each iteration reads the file again from the start, so the
 * trainer can run several epochs over it without holding it in memory; lines are read in order (no shuffling).
 * A parse error is re-thrown as a `ValueError` naming the file and line, with the original as its cause.
 *
 * @example
 * ```ts run
 * import { writeFile } from 'node:fs/promises';
 * import { Adam, Linear, mseLoss, tensor } from '@elman/core';
 * import { Trainer } from '@elman/trainer';
 * import { lineDataset } from '@elman/trainer/node';
 *
 * await writeFile('data.csv', 'x1,x2,y\n1,2,3\n2,0,2\n0,1,1\n3,3,6\n');
 * const data = lineDataset('data.csv', (line) => {
 *   const [x1, x2, y] = line.split(',').map(Number);
 *   return { input: tensor([x1!, x2!]), target: tensor([y!]) };
 * }, { skipLines: 1 }); // the header; the file is re-read every epoch, never held in memory
 * const model = new Linear(2, 1);
 * const trainer = new Trainer({ model, optimizer: new Adam(model.parameters(), { lr: 0.1 }), loss: mseLoss, progress: false });
 * await trainer.fit(data, { epochs: 3, batchSize: 2 });
 * ```
 */
export function lineDataset(
  path: string,
  parse: (line: string, lineNumber: number) => Example | null,
  options: LineDatasetOptions = {},
): AsyncIterable<Example> {
  const skip = options.skipLines ?? 0;
  if (!Number.isInteger(skip) || skip < 0) throw new ValueError(`lineDataset: skipLines must be an integer >= 0, got ${skip}`);
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<Example> {
      const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
      let n = 0;
      try {
        for await (const line of lines) {
          n++;
          if (n <= skip) continue;
          let example: Example | null;
          try {
            example = parse(line, n);
          } catch (err) {
            throw new ValueError(`lineDataset: ${path}:${n}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
          }
          if (example) yield example;
        }
      } finally {
        lines.close();
      }
    },
  };
}
