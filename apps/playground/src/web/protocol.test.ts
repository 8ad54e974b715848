import { describe, expect, it } from 'vitest';
import { DEFAULTS, LIMITS, TASKS, parseRequest, parseTrainConfig } from './protocol.js';

describe('worker protocol', () => {
  it('accepts every default configuration unchanged', () => {
    for (const task of TASKS) expect(parseTrainConfig(DEFAULTS[task])).toEqual(DEFAULTS[task]);
  });

  it('parses the three requests and copies only the known fields of a config', () => {
    expect(parseRequest({ type: 'stop' })).toEqual({ type: 'stop' });
    expect(parseRequest({ type: 'weights', extra: 1 })).toEqual({ type: 'weights' });
    const r = parseRequest({ type: 'train', config: { ...DEFAULTS.dates, junk: true } });
    expect(r).toEqual({ type: 'train', config: DEFAULTS.dates });
  });

  it('defaults the cell to lstm', () => {
    const { cell: _, ...rest } = DEFAULTS.sine;
    expect(parseTrainConfig(rest).cell).toBe('lstm');
  });

  it('rejects unknown requests, tasks and cells with messages naming them', () => {
    expect(() => parseRequest(null)).toThrow('worker request: unknown type undefined');
    expect(() => parseRequest({ type: 'fly' })).toThrow('worker request: unknown type fly');
    expect(() => parseTrainConfig('x')).toThrow('train config: must be an object');
    expect(() => parseTrainConfig({ ...DEFAULTS.sine, task: 'chess' })).toThrow(/task must be one of sine, births, charlm, dates, got chess/);
    expect(() => parseTrainConfig({ ...DEFAULTS.sine, cell: 'rnn' })).toThrow("cell must be 'lstm', 'gru' or 'transformer', got rnn");
    expect(() => parseTrainConfig({ ...DEFAULTS.sine, cell: 'transformer' })).toThrow("cell 'transformer' is for the charlm task only, got task sine");
    expect(parseTrainConfig({ ...DEFAULTS.charlm, cell: 'transformer' }).cell).toBe('transformer');
  });

  it.each([
    ['steps', 0],
    ['steps', 2.5],
    ['hiddenSize', 1000],
    ['learningRate', 0],
    ['learningRate', Number.NaN],
    ['batchSize', '32'],
    ['temperature', -1],
    ['seed', -1],
  ] as const)('rejects %s = %s', (field, value) => {
    const [min, max] = LIMITS[field];
    expect(() => parseTrainConfig({ ...DEFAULTS.sine, [field]: value })).toThrow(`${field} must be`);
    expect(() => parseTrainConfig({ ...DEFAULTS.sine, [field]: value })).toThrow(`in [${min}, ${max}]`);
  });
});
