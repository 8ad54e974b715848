import { loadSafetensors } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { loadPlaygroundData } from '../node/data.js';
import { parseSafetensorsHeader } from '../node/safetensors-header.js';
import { DEFAULTS, type WorkerMessage } from './protocol.js';
import { TrainingSession, sampleInterval } from './session.js';
import { ForecastNet } from './tasks/forecast-task.js';
import { Generator } from '@elman/core';

const data = loadPlaygroundData();

/** A session whose posts are recorded, with the buffers it transferred. */
function recorder() {
  const messages: WorkerMessage[] = [];
  const transfers: Transferable[][] = [];
  const session = new TrainingSession((m, t = []) => {
    messages.push(m);
    transfers.push(t);
  }, data);
  return { session, messages, transfers, of: <T extends WorkerMessage['type']>(type: T) => messages.filter((m): m is Extract<WorkerMessage, { type: T }> => m.type === type) };
}

describe('training session (the worker side of the protocol)', () => {
  it('samples about a dozen times per run, never more often than every 5 steps', () => {
    expect(sampleInterval(150)).toBe(13);
    expect(sampleInterval(12)).toBe(5);
    expect(sampleInterval(20_000)).toBe(1667);
  });

  it('posts started, a progress per step, samples, done — then answers weights with a loadable safetensors file', async () => {
    const { session, messages, transfers, of } = recorder();
    await session.handle({ type: 'train', config: { ...DEFAULTS.sine, steps: 12, hiddenSize: 8 } });
    expect(messages[0]).toMatchObject({ type: 'started', parameters: 4 * 8 * (1 + 8 + 2) + 8 + 1 });
    const progress = of('progress');
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const p of progress) {
      expect(p.steps).toBe(12);
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(p.stepsPerSecond).toBeGreaterThan(0);
    }
    expect(of('sample').map((s) => s.step)).toEqual([5, 10, 12]);
    expect(messages.at(-1)).toMatchObject({ type: 'done', steps: 12, stopped: false });
    expect(session.running).toBe(false);

    await session.handle({ type: 'weights' });
    const w = of('weights')[0]!;
    expect(w.fileName).toBe('elman-sine.safetensors');
    expect(transfers.at(-1)).toEqual([w.bytes.buffer]);
    const header = parseSafetensorsHeader(w.bytes);
    expect(header.metadata).toMatchObject({ task: 'sine', cell: 'lstm', hidden_size: '8', window: '25' });
    // The file loads strictly into a freshly built network of the same configuration.
    const fresh = new ForecastNet('lstm', 8, new Generator(99));
    fresh.loadStateDict(loadSafetensors(w.bytes).tensors);
    expect(Array.from(fresh.head.weight.data)).toEqual(Array.from(loadSafetensors(w.bytes).tensors['head.weight']!.data));
  });

  it('stops a run between steps when asked, with a final sample', async () => {
    const { session, of } = recorder();
    const run = session.handle({ type: 'train', config: { ...DEFAULTS.sine, steps: 10_000, hiddenSize: 4 } });
    await new Promise((r) => setTimeout(r, 30));
    expect(session.running).toBe(true);
    await session.handle({ type: 'stop' });
    await run;
    const done = of('done')[0]!;
    expect(done.stopped).toBe(true);
    expect(done.steps).toBeGreaterThan(0);
    expect(done.steps).toBeLessThan(10_000);
    expect(of('sample').at(-1)?.step).toBe(done.steps);
  });

  it('turns bad requests into error messages and refuses weights before any model exists', async () => {
    const { session, messages } = recorder();
    await session.handle({ type: 'weights' });
    await session.handle({ type: 'train', config: { ...DEFAULTS.sine, steps: -1 } });
    await session.handle('hello');
    expect(messages).toEqual([
      { type: 'error', message: 'no model yet: train one first' },
      { type: 'error', message: 'train config: steps must be an integer in [1, 20000], got -1' },
      { type: 'error', message: 'worker request: unknown type undefined' },
    ]);
  });

  it('refuses a second run while one is in progress, and reports a diverging loss', async () => {
    const { session, of } = recorder();
    const run = session.handle({ type: 'train', config: { ...DEFAULTS.sine, steps: 200, hiddenSize: 4 } });
    await session.handle({ type: 'train', config: DEFAULTS.sine });
    expect(of('error')[0]?.message).toBe('a run is already in progress: stop it first');
    await session.handle({ type: 'stop' });
    await run;
    const diverging = recorder();
    await diverging.session.handle({ type: 'train', config: { ...DEFAULTS.charlm, learningRate: 1, hiddenSize: 8, batchSize: 2, steps: 40 } });
    const errors = diverging.of('error');
    // A learning rate of 1 may or may not blow up a tiny model in 40 steps; if it does, the message says what to do.
    for (const e of errors) expect(e.message).toMatch(/loss became (NaN|Infinity) at step \d+: lower the learning rate/);
    expect(diverging.session.running).toBe(false);
  });
});
