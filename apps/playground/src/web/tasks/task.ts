import type { Module } from '@elman/core';
import type { PlaygroundData } from '../../node/data.js';
import type { Sample, TrainConfig } from '../protocol.js';
import { CharLmTask } from './char-lm-task.js';
import { DatesTask } from './dates-task.js';
import { ForecastTask, birthsSeries, sineSeries } from './forecast-task.js';

/** A trainable task: a model, its data and its optimizer, advanced one step at a time so the worker stays responsive. */
export interface Task {
  /** The model (its state dict is what "Download weights" saves). */
  readonly model: Module;
  /** One optimizer step on a fresh minibatch; returns the training loss of that batch. */
  step(): number;
  /** What the model does now (forecast, sampled text, decoded dates), computed without gradients. */
  sample(): Sample;
  /** The configuration stored in the safetensors `__metadata__`, enough to rebuild the model. */
  metadata(): Record<string, string>;
}

/** Builds the task `config.task` with its model, from the bundled data. */
export function createTask(config: TrainConfig, data: PlaygroundData): Task {
  switch (config.task) {
    case 'sine':
      return new ForecastTask(config, sineSeries(), { window: 25, season: 25 });
    case 'births':
      return new ForecastTask(config, birthsSeries(data.births), { window: 24, season: 12, seasonalDifference: true });
    case 'charlm':
      return new CharLmTask(config, data.moby);
    case 'dates':
      return new DatesTask(config);
  }
}
