import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, ValueError, manualSeed, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../data/dataset.js';
import { regression } from '../fixtures/data.js';
import { mlp } from '../fixtures/models.mjs';
import { Trainer } from '../trainer.js';
import { lineDataset } from './line-dataset.js';

let dir: string;
let csv: string;
const data = regression(40, 1);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'elman-lines-'));
  csv = join(dir, 'data.csv');
  const rows = ['x0,x1,x2,x3,y'];
  for (let i = 0; i < 40; i++) rows.push([...data.inputs.f32.subarray(4 * i, 4 * i + 4), data.targets.f32[i]].join(','));
  await writeFile(csv, `${rows.join('\n')}\n\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parse = (line: string): Example | null => {
  if (line === '') return null;
  const v = line.split(',').map(Number);
  return { input: tensor(v.slice(0, 4)), target: tensor(v.slice(4)) };
};

describe.each(testBackends())('lineDataset (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('streams a file once per epoch and trains like the same data in memory', async () => {
    const losses = async (train: Parameters<Trainer['fit']>[0]) => {
      manualSeed(3);
      const { model, loss } = mlp({ inputSize: 4, hidden: 8 });
      const trainer = new Trainer({ model, loss, optimizer: new Adam(model.parameters(), { lr: 1e-2 }), progress: false, seed: 1 });
      const h = await trainer.fit(train, { epochs: 3, batchSize: 16, ...(train === data ? { shuffle: false } : {}) });
      return h.steps.map((s) => s.loss);
    };
    const streamed = await losses(lineDataset(csv, parse, { skipLines: 1 }));
    expect(streamed).toHaveLength(9);
    expect(streamed).toEqual(await losses(data));
  });

  it('names the file and line of a parse error', async () => {
    const bad = lineDataset(csv, (line, n) => {
      if (n === 3) throw new RangeError(`cannot parse ${line.slice(0, 4)}`);
      return parse(line);
    });
    const err = await (async () => {
      for await (const _ of bad);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueError);
    expect((err as Error).message).toMatch(new RegExp(`^lineDataset: ${csv}:3: cannot parse `));
    expect((err as Error).cause).toBeInstanceOf(RangeError);
    expect(() => lineDataset(csv, parse, { skipLines: -1 })).toThrow(/skipLines must be an integer >= 0/);
  });
});
