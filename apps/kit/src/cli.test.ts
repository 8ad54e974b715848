import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { defaultOutDir, intOption, listOption, numberOption } from './cli.js';

describe('defaultOutDir', () => {
  it('finds the workspace root above the app', () => {
    const root = resolve(import.meta.dirname, '..', '..', '..');
    expect(defaultOutDir('demo', import.meta.dirname)).toBe(join(root, 'out', 'demo'));
  });
  it('falls back to ./out/<app> outside a workspace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elman-kit-'));
    try {
      expect(defaultOutDir('demo', dir)).toBe(resolve('out', 'demo'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('intOption / numberOption', () => {
  it('returns the fallback when absent and the value when valid', () => {
    expect(intOption('app', 'epochs', undefined, 7)).toBe(7);
    expect(intOption('app', 'epochs', '3', 7)).toBe(3);
    expect(numberOption('app', 'lr', '0.01', 1)).toBe(0.01);
    expect(numberOption('app', 'lr', undefined, 1)).toBe(1);
  });
  it('rejects bad values with a ValueError naming the app and the option', () => {
    expect(() => intOption('app', 'epochs', '2.5', 7)).toThrow(ValueError);
    expect(() => intOption('app', 'epochs', '0', 7)).toThrow(/app: --epochs must be an integer >= 1, got '0'/);
    expect(() => numberOption('app', 'lr', 'x', 1, 0)).toThrow(/app: --lr must be a number in \[0, Infinity\], got 'x'/);
    expect(() => numberOption('app', 'lr', '', 1)).toThrow(ValueError);
    expect(() => numberOption('app', 'p', '1.5', 0, 0, 1)).toThrow(ValueError);
  });
});

describe('listOption', () => {
  const kinds = ['LSTM', 'GRU', 'Transformer'] as const;
  it('returns every choice when absent and the named ones, in order, otherwise', () => {
    expect(listOption('app', 'models', undefined, kinds, 'model')).toEqual(kinds);
    expect(listOption('app', 'models', 'Transformer, LSTM', kinds, 'model')).toEqual(['Transformer', 'LSTM']);
  });
  it('rejects an unknown name with a ValueError naming the app, the option and the choices', () => {
    expect(() => listOption('app', 'models', 'LSTM,CNN', kinds, 'model')).toThrow(ValueError);
    expect(() => listOption('app', 'models', 'CNN', kinds, 'model')).toThrow("app: --models: unknown model 'CNN' (choose from LSTM, GRU, Transformer)");
  });
});
